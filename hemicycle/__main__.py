from hemicycle.cli import main

main()
