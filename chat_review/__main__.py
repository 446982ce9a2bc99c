"""`python -m chat_review` runs the command line."""

from chat_review.cli import main

if __name__ == "__main__":
    main()
