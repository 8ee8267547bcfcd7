from hyworld_cli.app import main

main()
