"""Infrastructure: time, forking, sanitising — uses nothing else of huiyin."""
