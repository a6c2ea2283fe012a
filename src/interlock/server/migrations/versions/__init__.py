"""One module per revision of the team server's database schema."""
