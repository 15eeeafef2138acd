"""Allow ``python -m mlcorpus``."""

from mlcorpus.cli import main

if __name__ == "__main__":
    main()
