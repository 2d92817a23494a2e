"""Telegram updates (python-telegram-bot objects) as the project's `Incoming` messages."""

from __future__ import annotations

from telegram import Chat, Message, Update

from bot.messages import Incoming, Kind, Media, classify_text, send_order
from bot.sanitize import clean_incoming

CHANNEL = "telegram"
GROUP_TYPES = (Chat.GROUP, Chat.SUPERGROUP)
# The updates the bot asks for (polling and webhook alike); others are not delivered at all.
ALLOWED_UPDATES = ["message", "callback_query"]


def dedupe_id(bot_id: int | str, update_id: int) -> str:
    """Telegram redelivers an update with the same update_id; ids are counted per bot."""
    return f"{bot_id}-{update_id}"


def to_incoming(update: Update, bot_id: int | str) -> Incoming | None:
    """The update as an incoming message; None for updates the bot ignores (edits, channel posts,
    service messages, updates without a person behind them)."""
    if update.callback_query is not None:
        return clean_incoming(_callback(update, bot_id))
    message = update.message
    if message is None or message.from_user is None or message.from_user.is_bot:
        return None
    chat = message.chat
    base = dict(channel=CHANNEL, user_id=str(message.from_user.id), chat_id=str(chat.id),
                msg_id=dedupe_id(bot_id, update.update_id), is_group=chat.type in GROUP_TYPES,
                display_name=message.from_user.full_name, order=send_order(None, update.update_id))
    return clean_incoming(_message(message, base))  # no NUL or control character gets stored


def _message(message: Message, base: dict) -> Incoming | None:
    caption = (message.caption or "").strip()
    if message.text is not None:
        return Incoming(**base, kind=classify_text(message.text), text=message.text.strip())
    if message.photo:
        largest = max(message.photo, key=lambda p: (p.width * p.height, p.file_size or 0))
        return Incoming(**base, kind=Kind.PHOTO, text=caption,
                        media=Media(ref=largest.file_id, mime="image/jpeg", size=largest.file_size))
    if message.document is not None:
        doc = message.document
        mime = (doc.mime_type or "").lower()
        kind = Kind.PHOTO if mime.startswith("image/") else Kind.VIDEO if mime.startswith("video/") else Kind.FILE
        return Incoming(**base, kind=kind, text=caption,
                        media=Media(ref=doc.file_id, filename=doc.file_name or "", mime=doc.mime_type or "",
                                    size=doc.file_size))
    if message.voice is not None:  # OGG/Opus, kept as evidence (bot/recordings.py)
        voice = message.voice
        return Incoming(**base, kind=Kind.VOICE, text=caption,
                        media=Media(ref=voice.file_id, mime=voice.mime_type or "audio/ogg", size=voice.file_size))
    video = message.video or message.video_note  # MP4; a video note is the round one
    if video is not None:
        return Incoming(**base, kind=Kind.VIDEO, text=caption,
                        media=Media(ref=video.file_id, mime=getattr(video, "mime_type", None) or "video/mp4",
                                    size=video.file_size))
    if message.location is not None:
        return Incoming(**base, kind=Kind.LOCATION, latitude=message.location.latitude,
                        longitude=message.location.longitude)
    if _is_service(message):
        return None
    return Incoming(**base, kind=Kind.UNSUPPORTED)


def _is_service(message: Message) -> bool:
    """Members joining or leaving, title changes, pins ...: nothing a person said to the bot."""
    return bool(message.new_chat_members or message.left_chat_member or message.new_chat_title
                or message.new_chat_photo or message.delete_chat_photo or message.group_chat_created
                or message.supergroup_chat_created or message.migrate_from_chat_id
                or message.migrate_to_chat_id or message.pinned_message)


def _callback(update: Update, bot_id: int | str) -> Incoming | None:
    query = update.callback_query
    assert query is not None
    if query.message is None or query.data is None:
        return None
    question = query.message
    chat = question.chat
    # The question's text (absent when Telegram no longer gives it: an old message) is what is
    # shown again, marked with the choice, once the core has taken the press.
    text = (question.text or "") if isinstance(question, Message) else ""
    return Incoming(channel=CHANNEL, user_id=str(query.from_user.id), chat_id=str(chat.id), kind=Kind.CHOICE,
                    data=query.data, msg_id=dedupe_id(bot_id, update.update_id),
                    is_group=chat.type in GROUP_TYPES, display_name=query.from_user.full_name,
                    order=send_order(None, update.update_id),
                    press_id=query.id, question_id=str(question.message_id), question_text=text)
