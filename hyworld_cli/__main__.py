from hyworld_cli.cli import main

main()
