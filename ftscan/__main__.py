from ftscan.cli import main

main()
