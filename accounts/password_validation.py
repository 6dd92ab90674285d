"""Passwords that are easy to guess in Plauen: Django's common-password list is English-centred.

A password counts as guessable when, without digits, punctuation and spaces at its ends and with
common letter substitutions undone (0→o, 1→i, 3→e, 4→a, 5→s, @→a, $→s), it is one of the German
words below or a local name (city, region, state), or one of them repeated or joined, e.g.
"Passwort2026!", "Plauen-Plauen", "Vogtland123456", "H4llo1234567". Such a password passes the
length rule yet falls to the first minutes of a dictionary attack.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

GUESSABLE_WORDS = frozenset(
    """
    passwort kennwort geheim geheimnis zugang login anmelden willkommen hallo hallihallo servus
    moin tschuess liebe schatz schatzi maus mausi hase hasi engel sonne sonnenschein blume
    sommer winter fruehling herbst januar februar maerz april mai juni juli august september
    oktober november dezember montag dienstag mittwoch donnerstag freitag samstag sonntag
    fussball bayern borussia schalke dynamo werder hertha union eintracht
    deutschland sachsen vogtland plauen vogtlandkreis oelsnitz reichenbach auerbach zwickau chemnitz
    dresden leipzig elster weisseelster spitze plauenerspitze
    stadt stadtrat rathaus verwaltung buergermeister oberbuergermeister schule schulen digital
    digitalisierung computer internet sicherheit benutzer admin administrator
    qwertz asdfgh yxcvbn qwertzuiop asdfghjkl yxcvbnm
    """.split()
)
_SUBSTITUTIONS = str.maketrans(
    {
        "0": "o",
        "1": "i",
        "3": "e",
        "4": "a",
        "5": "s",
        "@": "a",
        "$": "s",
        "ä": "ae",
        "ö": "oe",
        "ü": "ue",
        "ß": "ss",
    }
)
_LONGEST_WORD = max(len(word) for word in GUESSABLE_WORDS)
_EDGES = re.compile(r"^[\W\d_]+|[\W\d_]+$")
_SEPARATORS = re.compile(r"[\W_]+")


def _core(password: str) -> str:
    """The letters a guesser would start from: edges off, separators out, leetspeak undone."""
    trimmed = _EDGES.sub("", password.lower())
    return _SEPARATORS.sub("", trimmed.translate(_SUBSTITUTIONS))


def _is_made_of_guessable_words(core: str) -> bool:
    if not core:
        return True  # only digits and punctuation: NumericPasswordValidator and length decide
    # Dynamic programming over prefixes: can `core` be split into known words only?
    # Only word-sized pieces are looked up, so a very long password costs linear time.
    reachable = [True] + [False] * len(core)
    for end in range(1, len(core) + 1):
        reachable[end] = any(
            reachable[start] and core[start:end] in GUESSABLE_WORDS
            for start in range(max(0, end - _LONGEST_WORD), end)
        )
    return reachable[-1]


class GermanCommonPasswordValidator:
    """Refuses passwords built from common German words and local names (see module docstring)."""

    def validate(self, password: str, user=None) -> None:
        if _core(password) and _is_made_of_guessable_words(_core(password)):
            raise ValidationError(
                _("This password is built from a common German word or a local name."),
                code="password_too_common",
            )

    def get_help_text(self) -> str:
        return _("Your password must not consist of common German words or local names.")
