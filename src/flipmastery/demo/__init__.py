"""The demo classroom: a Gas Laws course, a Rational Numbers playlist, two sections with history."""
