from flipmastery.cli import main

main()
