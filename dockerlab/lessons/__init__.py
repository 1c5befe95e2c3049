"""What a lesson's cells call: ``lab = dockerlab.lesson("01-default-bridge")``, ``lab.docker(...)``,
predictions, answer forms, and the learner's kept answers."""
