"""Running flipmastery: the production server for a school or a teacher's laptop."""
