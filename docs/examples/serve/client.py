"""Try the API that ``feedback-core serve`` runs, with the standard library's HTTP client.

Run: ``python docs/examples/serve/client.py [URL]`` (default ``http://127.0.0.1:8000``).
"""

from __future__ import annotations

import json
import sys
import time
import urllib.error
import urllib.request

URL = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"


def call(method: str, path: str, body: object = None) -> tuple[int, dict[str, object]]:
    """Send one request; return the status and the JSON body (problems included)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(URL + path, data=data, method=method)  # noqa: S310  # http(s) URL given by the user
    request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310  # as above
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:  # 4xx and 5xx carry a problem document
        return error.code, json.loads(error.read())


status, vote = call("POST", "/polls/lunch-poll/votes", {"userId": "ana", "choice": "soup"})
print(status, vote)  # 201 (or 409: ana has voted in this poll before)

status, problem = call("POST", "/polls/lunch-poll/votes", {"userId": "bo", "choice": ""})
print(status, problem["errors"])  # 400, every field error with a JSON pointer

# The stream consumer counts the vote within about a second: wait for it.
for _ in range(50):
    status, results = call("GET", "/polls/lunch-poll/results")
    if status == 200:
        break
    time.sleep(0.2)
print(status, results["totalVotes"], results["choices"])
