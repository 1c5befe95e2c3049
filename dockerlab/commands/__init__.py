"""The ``dockerlab`` command a learner or an instructor types in a terminal, one module per group of
sub-commands."""
