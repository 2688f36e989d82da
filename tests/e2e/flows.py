"""What a Teams user does in the Playground, as steps several end-to-end tests share."""

from __future__ import annotations

from tests.e2e.app_process import text_of
from tests.e2e.playground_client import BotFrame, PlaygroundClient


async def post_and_answer(teams: PlaygroundClient, answer: str) -> BotFrame:
    """Install the bot in the team, `@bot post nu` in General, answer in the card; the answered card comes back."""
    config = await teams.config()
    await teams.install()
    await teams.next_bot_message(lambda f: "Hallo" in text_of(f))
    await teams.send_message(config.general_channel_id, "post nu", mention_bot=True)
    question = await teams.next_bot_message(lambda f: bool(f.cards))
    [submit] = [a for a in question.cards[0]["actions"] if a.get("verb") == "answer"]
    assert question.message_id is not None
    data = {"roundId": submit["data"]["roundId"], "answer": answer}
    result = await teams.invoke(question.thread_id, question.message_id, data, verb="answer")
    assert result["type"] == "application/vnd.microsoft.card.adaptive", result
    return question
