"""`inspector-bot` commands of the export area; registered by bot.cli."""

from __future__ import annotations

import click

commands: list[click.Command] = []
