"""The engine's host and its facts: where it is, commands and views there, snapshots, the live watcher, the
lab cluster, the doctor, and the session a lesson talks to (:mod:`dockerlab.host.session`)."""
