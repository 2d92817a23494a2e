"""Render the example digest chart for the README from the test dataset (tests/progress/dataset.py):

    .venv/bin/python -m tests.progress.make_example docs/digest-example.png

The city group's digest of 2023-05-11 after one more 泽州县 enterprise, as the scheduler posts it."""

from __future__ import annotations

import asyncio
import sys
import tempfile
from datetime import date, datetime
from pathlib import Path

from bot.digest import build
from storage.state import MemoryStateStore
from tests.conftest import TZ
from tests.harness import Harness
from tests.progress import dataset


async def main(out: Path) -> None:
    tmp = Path(tempfile.mkdtemp())
    bot = await Harness.start(f"sqlite+aiosqlite:///{tmp}/x.db", MemoryStateStore(), tmp,
                              datetime(2023, 5, 11, 18, 0, tzinfo=TZ))
    try:
        await dataset.build(bot)
        await dataset.add_submitted(bot, "泽州县天池煤业有限公司", "煤矿", "泽州县", "zz1", date(2023, 5, 11))
        repos = bot.repos()
        try:
            city = next(b for b in await repos.org.bureaus() if b.level == "city")
            digest = await build(repos, bot.app.campaign, city, date(2023, 5, 11))
        finally:
            await repos.session.close()
        digest.render_chart(out)
        print(digest.text)
        print(f"chart: {out}")
    finally:
        await bot.close()


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/digest-example.png")))
