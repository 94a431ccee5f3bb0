"""`python -m tawthiq` runs the command line."""

from tawthiq.cli import main

main()
