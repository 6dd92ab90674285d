from ..url_cases import ALL_ROLES, UrlCase

CASES = [
    UrlCase("dashboard", allowed=ALL_ROLES),
    UrlCase(
        "accounts:login",
        allowed=ALL_ROLES,
        ok=(302,),  # a logged-in user is sent on to the dashboard
        expect={"anonymous": 200},
    ),
    UrlCase(
        "accounts:logout", method="post", allowed=ALL_ROLES, ok=(302,), expect={"anonymous": 302}
    ),
    UrlCase("accounts:profile", allowed=ALL_ROLES),
    UrlCase(
        "set_language",
        method="post",
        data={"language": "en", "next": "/"},
        allowed=ALL_ROLES,
        ok=(302,),
        expect={"anonymous": 302},
    ),
]

CASES += [
    UrlCase("accounts:privacy", allowed=ALL_ROLES, expect={"anonymous": 200}),
    UrlCase("accounts:my_data", allowed=ALL_ROLES),
    UrlCase("accounts:my_data_export", allowed=ALL_ROLES),
]

# "Letzte Änderungen" (plauen_digital/changes): Verwaltung and Ratsbüro only.
CASES += [UrlCase("changes:index", allowed=frozenset({"verwaltung", "ratsbuero"}))]
