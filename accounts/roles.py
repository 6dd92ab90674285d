"""The four roles of docs/permissions.md. Each is a Django group; a person may hold several."""

VERWALTUNG = "Verwaltung"
STADTRAT = "Stadtrat"
AG_SCHULE = "AG Schule"
RATSBUERO = "Ratsbüro"

ALL_ROLES = (VERWALTUNG, STADTRAT, AG_SCHULE, RATSBUERO)
