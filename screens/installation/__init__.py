"""The installation screen and its six tabs, from metrics to review, with their forms."""
