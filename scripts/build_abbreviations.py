"""Build ``data/gazetteer/abbreviations.json``: written abbreviations of states and provinces.

News text writes "Morgantown, W.Va.", "Fresno, Calif.", "Kelowna, B.C." or "Sydney, NSW".
These are written facts, listed below with their sources:

- US states: the state abbreviations of the Associated Press Stylebook ("Ala.", "Ariz."...,
  with the eight states AP never abbreviates left out);
- Canadian provinces: The Canadian Press Stylebook abbreviations ("B.C.", "Ont."...);
- Australian states: the abbreviations of the Australian Government Style Manual ("NSW",
  "Qld", "Vic."...);
- "D.C." (Washington, GeoNames 4140963), "L.A." (Los Angeles, GeoNames 5368361).

Each maps to an ISO 3166-2 code (a first-level region) or a GeoNames id (a city). ``short``
marks abbreviations that are ordinary words too ("Ga.", "Mass."): those count only after a
comma or a hyphen ("Atlanta, Ga.", "D-Mass."). Run
``.venv/bin/python scripts/build_abbreviations.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "data" / "gazetteer" / "abbreviations.json"

#: AP Stylebook state abbreviations → ISO 3166-2.
AP_STATES: dict[str, str] = {
    "Ala.": "US-AL",
    "Ariz.": "US-AZ",
    "Ark.": "US-AR",
    "Calif.": "US-CA",
    "Colo.": "US-CO",
    "Conn.": "US-CT",
    "Del.": "US-DE",
    "Fla.": "US-FL",
    "Ga.": "US-GA",
    "Ill.": "US-IL",
    "Ind.": "US-IN",
    "Kan.": "US-KS",
    "Kans.": "US-KS",
    "Ky.": "US-KY",
    "La.": "US-LA",
    "Md.": "US-MD",
    "Mass.": "US-MA",
    "Mich.": "US-MI",
    "Minn.": "US-MN",
    "Miss.": "US-MS",
    "Mo.": "US-MO",
    "Mont.": "US-MT",
    "Neb.": "US-NE",
    "Nev.": "US-NV",
    "N.H.": "US-NH",
    "N.J.": "US-NJ",
    "N.M.": "US-NM",
    "N.Y.": "US-NY",
    "N.C.": "US-NC",
    "N.D.": "US-ND",
    "Okla.": "US-OK",
    "Ore.": "US-OR",
    "Pa.": "US-PA",
    "R.I.": "US-RI",
    "S.C.": "US-SC",
    "S.D.": "US-SD",
    "Tenn.": "US-TN",
    "Tex.": "US-TX",
    "Vt.": "US-VT",
    "Va.": "US-VA",
    "Wash.": "US-WA",
    "W.Va.": "US-WV",
    "W. Va.": "US-WV",
    "Wis.": "US-WI",
    "Wyo.": "US-WY",
}
#: Canadian Press province abbreviations → ISO 3166-2.
CP_PROVINCES: dict[str, str] = {
    "B.C.": "CA-BC",
    "Alta.": "CA-AB",
    "Sask.": "CA-SK",
    "Man.": "CA-MB",
    "Ont.": "CA-ON",
    "Que.": "CA-QC",
    "N.B.": "CA-NB",
    "N.S.": "CA-NS",
    "P.E.I.": "CA-PE",
    "Nfld.": "CA-NL",
}
#: Australian Government Style Manual state abbreviations → ISO 3166-2.
AU_STATES: dict[str, str] = {
    "NSW": "AU-NSW",
    "Qld": "AU-QLD",
    "Vic.": "AU-VIC",
    "Tas.": "AU-TAS",
}
#: Abbreviations of cities → GeoNames id.
CITIES: dict[str, int] = {"D.C.": 4140963, "L.A.": 5368361}
#: Abbreviations that are also ordinary words or titles: only after ", " or "-".
SHORT = {"Ga.", "Ind.", "La.", "Md.", "Mass.", "Miss.", "Mo.", "Pa.", "Va.", "Wash.", "Man."}
SHORT |= {"Del.", "Ill.", "Ore.", "Mont.", "Vic.", "Tas.", "Que."}


def build() -> list[dict[str, object]]:
    """Return the abbreviation records."""
    rows: list[dict[str, object]] = []
    for table in (AP_STATES, CP_PROVINCES, AU_STATES):
        for text, code in table.items():
            rows.append({"text": text, "region": code, "short": text in SHORT})
    for text, gid in CITIES.items():
        rows.append({"text": text, "geonameid": gid, "short": False})
    return rows


def main() -> None:
    rows = build()
    lines = ",\n".join(" " + json.dumps(r) for r in rows)
    OUT.write_text("[\n" + lines + "\n]\n", encoding="utf-8")
    print(f"{OUT}: {len(rows)} abbreviations")


if __name__ == "__main__":
    main()
