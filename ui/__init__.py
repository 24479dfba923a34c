"""The Qt user interface. Talks to the core only through facilitator.app.Clinic."""
