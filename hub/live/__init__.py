"""Live sessions: live Q&A and online discussions over Socket.IO, with a REST way in."""
