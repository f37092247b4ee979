"""An appendix's text does not repeat, word for word, the key messages shown just above it."""

from __future__ import annotations

from analysis.publish.display import without_key_messages

ONE = "128 of the 146 organisations (88%) aim to move up."
TWO = "96 applicants (66%) have the most ambitious plans."


def test_sentences_already_in_the_key_messages_box_are_left_out():
    text = f"We asked where applicants are now.\n\n{ONE} {TWO}\n\nThe index is reliable. {TWO} It is 0.80."
    assert without_key_messages(text, [ONE, TWO]) == (
        "We asked where applicants are now.\n\nThe index is reliable. It is 0.80."
    )
    assert without_key_messages(text, []) == text
    assert without_key_messages(f"{ONE}\n\n{TWO}", [ONE, TWO]) == ""
