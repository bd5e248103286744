"""Line front ends: play, add-fact, the room's plain host and join."""
