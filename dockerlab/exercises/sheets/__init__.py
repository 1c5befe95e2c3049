"""The exercise sheets' content: ``exNN.py`` holds lesson NN's tasks (found by its name), ``common.py`` the
small judges they share."""
