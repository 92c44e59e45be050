"""The Assessment tab: the period's assessment, explanation of delay and planning texts, with
the markdown they make shown beside them as the export will print it.

An installation with sites has these texts per site too; a Select picks whose texts are shown.
The texts load into their editors through ``widgets.editable`` and the preview shows them with
control characters as escapes: a text from an older store never acts on the terminal.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, ScrollableContainer, VerticalScroll
from textual.timer import Timer
from textual.widgets import Button, Label, Markdown, Select, Static, TextArea
from vatui.screens.confirm import ConfirmScreen
from vatui.screens.guard import drop_question
from vatui.screens.installation.tab import InstallationTab
from vatui.screens.keyboard import TextBox
from vatui.screens.widgets import editable, edited, one_line, plain
from vatui.store import Assessment, Site, StaleEdit, StoreError
from vatui.store.text import printable

TEXTS = (
    ("assessment", "Assessment"),
    ("delay", "Explanation of delay"),
    ("planning", "Planning for production status"),
)
WHOLE = "whole"  # the Select's value for the installation's own texts
PREVIEW_DELAY = 0.3  # seconds of quiet typing before the preview is drawn again


class AssessmentTab(InstallationTab):
    PER_PERIOD = True

    def __init__(self, installation: str, sites: list[Site], *, id: str | None = None) -> None:
        super().__init__(installation, sites, id=id)
        self._loaded = Assessment(installation, "")
        self._site = WHOLE
        self._preview_timer: Timer | None = None

    def show_installation(self, installation: str, sites: list[Site]) -> None:
        super().show_installation(installation, sites)
        self._site = WHOLE
        if self.built and self.sites:
            self.query_one("#assessment-site", Select).value = WHOLE

    def fits(self, sites: list[Site]) -> bool:
        """The choice of site lists the sites themselves."""
        return [site.id for site in sites] == [site.id for site in self.sites]

    def build(self) -> ComposeResult:
        yield Static("", classes="access")
        if self.sites:
            options: list[tuple[Text, str]] = [(Text("Whole installation"), WHOLE)]
            options += [(one_line(site.label), site.id) for site in self.sites]
            yield Select(
                options, value=WHOLE, allow_blank=False, compact=True, id="assessment-site"
            )
        # The boxes are the stops of Tab; their containers scroll but take no focus.
        with ScrollableContainer(id="assessment-body", can_focus=False):
            with VerticalScroll(id="assessment-editors", can_focus=False):
                for key, label in TEXTS:
                    yield Label(label, classes="text-label")
                    yield TextBox(id=f"text-{key}", soft_wrap=True)
            with VerticalScroll(id="assessment-preview-box"):
                # As the export preview: a link in the text is shown, never opened.
                yield Markdown(id="assessment-preview", open_links=False)
        with Horizontal(classes="tab-buttons"):
            yield Button("Save (ctrl+s)", id="save-assessment", variant="primary", compact=True)
            yield Static("", id="assessment-error", classes="form-error")

    # ---- loading ---------------------------------------------------------------------------

    def load(self) -> None:
        store, period = self.session.store, self.session.period
        site = None if self._site == WHOLE else self._site
        self._loaded = store.assessment(self.installation, period, site)
        read_only = self.refusal is not None
        for key, _ in TEXTS:
            area = self._area(key)
            area.load_text(editable(getattr(self._loaded, key)))
            area.read_only = read_only
        self.query_one("#save-assessment", Button).disabled = read_only
        self._show_error("")
        self.show_access(f"write the texts for {period}; ctrl+s saves them.")
        self._show_preview()

    def _area(self, key: str) -> TextArea:
        return self.query_one(f"#text-{key}", TextArea)

    def _texts(self) -> dict[str, str]:
        """The texts as typed; a text left as loaded is the stored text itself (``edited``)."""
        return {key: edited(self._area(key).text, getattr(self._loaded, key)) for key, _ in TEXTS}

    def unsaved_changes(self) -> list[str]:
        if not self.built:
            return []
        loaded = {key: getattr(self._loaded, key) for key, _ in TEXTS}
        return ["the assessment"] if self._texts() != loaded else []

    # ---- preview ---------------------------------------------------------------------------

    @on(TextArea.Changed)
    def _typed(self) -> None:
        if self._preview_timer is not None:
            self._preview_timer.stop()
        self._preview_timer = self.set_timer(PREVIEW_DELAY, self._show_preview)

    def _show_preview(self) -> None:
        sections = [
            f"### {label}\n\n{text.strip()}"
            for (key, label), text in zip(TEXTS, self._texts().values(), strict=True)
            if text.strip()
        ]
        empty = f"*No assessment for {self.session.period} yet.*"
        preview = printable("\n\n".join(sections) or empty)
        self.query_one("#assessment-preview", Markdown).update(preview)

    # ---- saving and switching sites ----------------------------------------------------------

    def save(self) -> None:
        identity = self.writer()
        if identity is None:
            return
        try:
            self.session.store.set_assessment(
                identity,
                self.installation,
                self.session.period,
                site=None if self._site == WHOLE else self._site,
                expected_version=self._loaded.version,
                source="tui",
                **self._texts(),
            )
        except StaleEdit as refusal:
            self._show_error(str(refusal))
            self._offer_reload(refusal)
            return
        except StoreError as refusal:
            self._show_error(str(refusal))
            return
        self.saved()
        self.notify("Assessment saved.")

    def _offer_reload(self, stale: StaleEdit) -> None:
        """Someone else saved first: ask before the typed texts make way for theirs."""
        question = (
            f"Someone else saved first: {stale}.\n\nLoad the texts saved now? "
            "What you typed here is lost."
        )

        def answered(reload: bool | None) -> None:
            if reload:
                self.load()
                self.notify("The texts are those saved now.", title="Reloaded")

        self.app.push_screen(ConfirmScreen(question, yes="Reload", no="Keep editing"), answered)

    def _show_error(self, message: str) -> None:
        error = self.query_one("#assessment-error", Static)
        error.update(plain(message))
        error.display = bool(message)

    @on(Button.Pressed, "#save-assessment")
    def _save_pressed(self) -> None:
        self.save()

    @on(Select.Changed, "#assessment-site")
    def _site_chosen(self, event: Select.Changed) -> None:
        sites = self.query_one("#assessment-site", Select)
        chosen = str(event.value)
        if chosen == self._site:
            return

        def switch(drop: bool | None = True) -> None:
            if drop:
                self._site = chosen
                self.load()
            else:
                sites.value = self._site

        pending = self.unsaved_changes()
        if pending:
            self.app.push_screen(drop_question(pending), switch)
        else:
            switch()
