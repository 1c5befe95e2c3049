"""The model: what Docker really built (networks, containers, interfaces, veth pairs, packet paths) as
pure data, built from a snapshot's facts. No engine calls here."""
