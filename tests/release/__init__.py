"""A release built from a fresh clone, installed as a learner installs it."""
