"""The `triangulate` command (DESIGN.md contracts): parse the arguments, run one subcommand, and
turn every user error into one clear line and an exit code, never a traceback."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from lib.cli.commands import parse_weights as parse_weights
from lib.cli.errors import USER_ERROR, explain, malformed_base_urls, one_line
from lib.cli.parser import build_parser as build_parser
from lib.settings import load_settings


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        bad_urls = malformed_base_urls(load_settings().base_urls)
        if bad_urls:
            print(
                f"Not a valid http(s) URL: {', '.join(bad_urls)}. Fix or unset the variable.",
                file=sys.stderr,
            )
            return USER_ERROR
        return int(args.run(args))
    except KeyboardInterrupt:
        print(
            "Interrupted; what was fetched is kept. Run the same command to resume.",
            file=sys.stderr,
        )
        return 130
    except Exception as error:  # one clear line for the user, never a traceback
        explained = explain(error)
        if explained is None:
            print(
                f"Unexpected error ({type(error).__name__}: {one_line(str(error))}). "
                "Please report it with the command you ran.",
                file=sys.stderr,
            )
            return 1
        message, code = explained
        print(one_line(message), file=sys.stderr)
        return code
