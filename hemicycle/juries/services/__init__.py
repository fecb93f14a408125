"""Workflows of calls for projects, juries and allocations, one module per noun:
campaigns, applications, draws (colleges, volunteers, sortition), scoring, allocation
and results. Views and tasks import the module they need."""
