"""Every user-facing text, in one place: this package, one module per area, all re-exported here
so code writes `texts.NAME`. Short enough to read on a phone. Placeholders are str.format fields.
Code, identifiers and comments are English; only the values here are Chinese."""

from bot.texts.inspection import *  # noqa: F401,F403
from bot.texts.wecom import *  # noqa: F401,F403
from bot.texts.telegram import *  # noqa: F401,F403
from bot.texts.progress import *  # noqa: F401,F403
from bot.texts.documents import *  # noqa: F401,F403
from bot.texts.report import *  # noqa: F401,F403
from bot.texts.integrity import *  # noqa: F401,F403
from bot.texts.orders import *  # noqa: F401,F403
from bot.texts.system import *  # noqa: F401,F403
from bot.texts.phone import *  # noqa: F401,F403
from bot.texts.help import *  # noqa: F401,F403
