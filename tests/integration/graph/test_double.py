"""The Graph double is as strict as Graph: authentication, unknown paths, bad bodies, limits."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest

from tests.doubles.graph_double import GraphDouble, GraphState, TeamsLimits
from tests.integration.graph.conftest import TEAM_ID, THREAD

BEARER = {"Authorization": "Bearer t"}


@pytest.mark.asyncio
async def test_request_without_token_is_401_with_graph_error_shape(double: GraphDouble) -> None:
    """No Authorization header: 401 and {"error": {"code", "message"}}."""
    async with aiohttp.ClientSession() as http, http.get(f"{double.base_url}/teams/{TEAM_ID}") as response:
        body = await response.json()

    assert response.status == 401
    assert body["error"]["code"] == "InvalidAuthenticationToken" and body["error"]["message"]


@pytest.mark.asyncio
async def test_unknown_path_is_404(double: GraphDouble) -> None:
    """A resource the double does not serve is 404, as Graph answers an unknown segment."""
    async with aiohttp.ClientSession(headers=BEARER) as http, http.get(f"{double.base_url}/me/drive") as response:
        assert response.status == 404


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "body",
    [
        {"requests": []},
        {"requests": [{"id": str(n), "method": "GET", "url": f"/users/u{n}"} for n in range(21)]},
        {"requests": [{"id": "1", "method": "GET", "url": "https://graph.microsoft.com/v1.0/users/u1"}]},
        {
            "requests": [
                {"id": "1", "method": "GET", "url": "/users/a"},
                {"id": "1", "method": "GET", "url": "/users/b"},
            ]
        },
    ],
    ids=["empty", "21 requests", "absolute url", "duplicate ids"],
)
async def test_bad_batch_is_400(double: GraphDouble, body: dict[str, object]) -> None:
    """$batch takes 1 to 20 requests with unique ids and relative urls."""
    async with aiohttp.ClientSession(headers=BEARER) as http, http.post(f"{double.base_url}/$batch", json=body) as r:
        assert r.status == 400


@pytest.mark.asyncio
async def test_replies_page_larger_than_fifty_is_400(double: GraphDouble) -> None:
    """$top above 50 on replies is refused."""
    url = f"{double.base_url}/teams/{THREAD[0]}/channels/{THREAD[1]}/messages/{THREAD[2]}/replies?$top=51"
    async with aiohttp.ClientSession(headers=BEARER) as http, http.get(url) as response:
        assert response.status == 400


@pytest.mark.asyncio
async def test_teams_limits_throttle_a_burst_on_one_team(state: GraphState, double: GraphDouble) -> None:
    """With the limits on, more than 4 requests at once on one team get 429 with a Retry-After."""
    state.limits = TeamsLimits()
    url = f"{double.base_url}/teams/{THREAD[0]}/channels/{THREAD[1]}/messages/{THREAD[2]}/replies"
    async with aiohttp.ClientSession(headers=BEARER) as http:

        async def one() -> tuple[int, str | None]:
            async with http.get(url) as response:
                return response.status, response.headers.get("Retry-After")

        answers = await asyncio.gather(*(one() for _ in range(8)))

    assert sorted(status for status, _ in answers) == [200] * 4 + [429] * 4
    assert {after for status, after in answers if status == 429} == {"1"}
