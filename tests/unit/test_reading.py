"""`resolvers.text.reading`: the katakana reading that search bodies carry beside kanji."""

import pytest

from resolvers.text import normalise, reading


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("龍ケ崎市", "リュウガサキシ"),
        ("霞ヶ浦", "カスミガウラ"),
        ("倶知安町", "クッチャンチョウ"),
        ("防災訓練の取り組み", "ボウサイクンレンノトリクミ"),
    ],
)
def test_kanji_are_read_as_they_are_said(written, said):
    assert reading(written) == said


def test_text_without_kanji_has_no_reading():
    assert reading("ワーケーション DX") is None


def test_what_is_not_kanji_is_kept_as_written_and_normalised():
    assert reading("ＤＸで防災。 次へ") == normalise("ＤＸでボウサイ。 ツギヘ") == " dx デボウサイツギヘ"


def test_a_text_longer_than_the_analyser_takes_at_once_is_read_whole():
    assert reading("防災" * 30_000) == "ボウサイ" * 30_000
