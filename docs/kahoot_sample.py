"""Write a 10-question workbook laid out as Kahoot's "Quiz spreadsheet template".

    .venv/bin/python docs/kahoot_sample.py planets.xlsx

Kahoot's template: instruction text in B1..B5, the header row in row 8 from
column B, and numbered question rows under it (the number in column A).
"""

from __future__ import annotations

import sys
from typing import Any

from openpyxl import Workbook

from quiz.authoring.kahoot import COLUMNS

HEADER = COLUMNS  # the header row Kahoot writes, as the importer knows it
QUESTIONS = (
    ("Which planet is the largest?", "Saturn", "Jupiter", "Neptune", "Earth", 20, 2),
    ("Which planet is nearest the Sun?", "Mercury", "Venus", "Mars", "Earth", 20, 1),
    ("Which planet is known as the Red Planet?", "Venus", "Jupiter", "Mars", "Uranus", 20, 3),
    ("Which planet has the most famous rings?", "Mars", "Mercury", "Earth", "Saturn", 20, 4),
    ("The Sun is a star.", "True", "False", None, None, 10, 1),
    ("Which planet spins on its side?", "Uranus", "Venus", "Mercury", "Mars", 20, 1),
    ("What is the closest star to Earth?", "Sirius", "The Sun", "Vega", "Polaris", 20, 2),
    ("Which is the hottest planet?", "Mercury", "Mars", "Venus", "Jupiter", 20, 3),
    ("The Moon has its own light.", "True", "False", None, None, 10, 2),
    ("Which planet is farthest from the Sun?", "Uranus", "Saturn", "Jupiter", "Neptune", 20, 4),
)


def main(path: str) -> None:
    book = Workbook()
    sheet: Any = book.active
    sheet.title = "Sheet1"
    sheet["B1"] = "Quiz template"
    sheet["B2"] = (
        "Add questions, at least two answer alternatives, time limit and choose correct "
        "answers (at least one). Have fun creating your awesome quiz!"
    )
    sheet["B3"] = (
        "Remember: questions have a limit of 120 characters and answers can have 75 "
        "characters max. If several answers are correct, separate them with a comma."
    )
    sheet["B4"] = (
        "See an example question below (don't forget to overwrite this with your first question!)"
    )
    sheet["B5"] = (
        "And remember, if you're not using Excel you need to export to .xlsx format before you upload to Kahoot!"
    )
    for column, title in enumerate(HEADER, 2):
        sheet.cell(row=8, column=column, value=title)
    for number, row in enumerate(QUESTIONS, 1):
        sheet.cell(row=8 + number, column=1, value=number)
        for column, value in enumerate(row, 2):
            sheet.cell(row=8 + number, column=column, value=value)
    for number in range(len(QUESTIONS) + 1, 101):  # the template's numbered empty rows
        sheet.cell(row=8 + number, column=1, value=number)
    book.save(path)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "planets.xlsx")
