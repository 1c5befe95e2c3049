"""Engine access: the Docker engine's API, the learner's own ``docker`` CLI behind the course's labelling
proxy, starting an engine, and the lab images. Nothing here knows about lessons."""
