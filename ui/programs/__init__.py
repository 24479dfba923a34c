"""Program settings for administrators: the measure schedule and the planned length."""
