from costwatch.cli import main

main()
