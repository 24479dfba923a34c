"""Qt item models over the core's immutable row objects."""
