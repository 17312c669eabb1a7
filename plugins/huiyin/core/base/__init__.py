"""Infrastructure: time, the working-day calendar, forking, sanitising — uses nothing else of huiyin."""
