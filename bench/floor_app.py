"""The floor for start-up: the smallest Textual app that shows a question and four buttons."""

from textual.app import App, ComposeResult
from textual.widgets import Button, Static


class FloorApp(App[None]):
    BINDINGS = [("escape", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Static("Question 1/10: Where did she finish at Kansas?")
        for index, choice in enumerate(("5th", "8th", "10th", "12th"), 1):
            yield Button(f"{index}) {choice}")


if __name__ == "__main__":
    FloorApp().run()
