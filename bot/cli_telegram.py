"""`inspector-bot` commands of the telegram area; registered by bot.cli."""

from __future__ import annotations

import click

commands: list[click.Command] = []
