"""Free text of the demo data: buyer return comments, seller feedback, ship-to places."""

from __future__ import annotations

from typing import NamedTuple


class Place(NamedTuple):
    """A ship-to city as the all-orders report shows it, with its sales tax rate."""

    city: str
    state: str
    postal_code: str
    tax_basis_points: int


# Comment groups keyed by the return reason codes they fit.
REASON_GROUP: dict[str, str] = {
    "APPAREL_TOO_SMALL": "small",
    "APPAREL_TOO_LARGE": "large",
    "APPAREL_STYLE": "style",
    "POOR_FIT": "small",
    "DID_NOT_LIKE_FABRIC": "style",
    "DEFECTIVE": "defect",
    "QUALITY_UNACCEPTABLE": "quality",
    "NOT_COMPATIBLE": "compat",
    "PART_NOT_COMPATIBLE": "compat",
    "NOT_AS_DESCRIBED": "desc",
    "MISSING_PARTS": "missing",
    "DAMAGED_BY_CARRIER": "damage",
    "DAMAGED_BY_FC": "damage",
    "UNWANTED_ITEM": "remorse",
    "FOUND_BETTER_PRICE": "price",
    "ORDERED_WRONG_ITEM": "wrong_order",
    "MISORDERED": "wrong_order",
    "MISSED_ESTIMATED_DELIVERY": "late",
    "SWITCHEROO": "switch",
    "EXTRA_ITEM": "remorse",
}

RETURN_COMMENTS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "small": (
            "Runs small, ordered my usual size",
            "Too tight across the shoulders",
            'Size chart says "M" fits 38-40, it does not',
        ),
        "large": ("Way too big, sleeves too long", "Runs large, need one size down"),
        "style": (
            "Color looks different than the photos",
            "Did not like the fabric, feels cheap",
            'Not the "heather grey" shown, more like blue',
        ),
        "defect": (
            "Stopped working after 2 days",
            "Does not turn on, tried two outlets",
            "Stopped charging after a week, light blinks red",
            'Display shows "Err", tried new batteries, still broken',
        ),
        "quality": (
            "Cheap plastic, cracked on first use",
            "Poor quality, seams coming apart",
            "Scratched and smells of chemicals",
        ),
        "compat": (
            "Does not fit my iPhone 15 Pro",
            "Not compatible with my MacBook, no video",
            'Listing says "universal", it is not',
        ),
        "desc": (
            "Smaller than described",
            "Not as pictured, no lid included",
            'Says "stainless steel" but it rusts',
        ),
        "missing": ("Missing the charging cable", "Only 2 pieces in the box, should be 3"),
        "damage": (
            "Box crushed, item broken",
            "Arrived damaged, glass shattered",
            "Package was open and wet",
        ),
        "remorse": ("No longer needed", "Changed my mind", "Gift, recipient already had one"),
        "price": ("Found it cheaper elsewhere", "Price dropped $8 the day after I bought it"),
        "wrong_order": ("Ordered the wrong color by mistake", "Bought wrong size, my fault"),
        "late": ("Arrived after the party, no longer needed", "Came 5 days late"),
        "switch": ("Received a different item than ordered", "Wrong product in the box"),
    },
    "uk": {
        "price": ("Found it £6 cheaper elsewhere", "Cheaper in the shop, £24.99 vs £29.99"),
        "remorse": ("No longer needed, sorry", "Bought as a present, not wanted"),
    },
    "de": {
        "small": ("Fällt klein aus, bitte eine Nummer größer bestellen", "Zu eng an den Schultern"),
        "large": ("Viel zu groß", "Fällt sehr groß aus, Ärmel zu lang"),
        "style": ("Farbe sieht anders aus als auf den Fotos", "Stoff gefällt mir nicht"),
        "defect": (
            "Funktioniert nach 2 Tagen nicht mehr",
            "Lässt sich nicht einschalten",
            'Display zeigt "Err", trotz neuer Batterien',
            "Hört nach einer Woche auf zu laden",
        ),
        "quality": (
            "Billiges Plastik, beim ersten Gebrauch gerissen",
            "Schlechte Qualität, riecht",
        ),
        "compat": ("Passt nicht zu meinem iPhone 15 Pro", "Nicht kompatibel mit meinem Laptop"),
        "desc": ("Kleiner als beschrieben", 'Laut Beschreibung "Edelstahl", rostet aber'),
        "missing": ("Ladekabel fehlt", "Nur 2 Teile im Karton statt 3"),
        "damage": ("Karton zerdrückt, Artikel kaputt", "Kam beschädigt an, Glas zerbrochen"),
        "remorse": ("Wird nicht mehr benötigt", "Doch nicht gebraucht, Geschenk gefällt nicht"),
        "price": ("Woanders 5 € günstiger gefunden", "Preis ist am nächsten Tag um 8 € gefallen"),
        "wrong_order": ("Versehentlich falsche Farbe bestellt", "Falsche Größe bestellt"),
        "late": ("Kam zu spät, Geburtstag war schon vorbei", "Lieferung 5 Tage verspätet"),
        "switch": ("Anderer Artikel als bestellt im Paket", "Falsches Produkt erhalten"),
    },
    "ja": {
        "small": ("サイズが小さかったです", "いつものサイズですがきつかったです"),
        "large": ("思ったより大きすぎました", "袖が長すぎます"),
        "style": ("写真と色が違いました", "生地の質感が好みではありませんでした"),
        "defect": (
            "2日で動かなくなりました",
            "電源が入りません",
            "充電できなくなりました、赤いランプが点滅",
        ),
        "quality": ("初めて使った時にひびが入りました", "品質が悪く、においが強いです"),
        "compat": ("iPhone 15 Proに合いませんでした", "パソコンに対応していませんでした"),
        "desc": ("説明より小さいです", "写真と違い、蓋が付いていません"),
        "missing": ("充電ケーブルが入っていません", "部品が足りません"),
        "damage": ("箱がつぶれていて商品が壊れていました", "届いた時点で割れていました"),
        "remorse": ("不要になりました", "イメージと違ったため"),
        "price": ("他店の方が安かったため", "購入翌日に値下がりしたため"),
        "wrong_order": ("色を間違えて注文しました", "サイズを間違えました"),
        "late": ("到着が遅れたため不要になりました", "予定より5日遅れて届きました"),
        "switch": ("注文と違う商品が届きました", "別の商品が入っていました"),
    },
}

FEEDBACK_COMMENTS: dict[str, tuple[str, ...]] = {
    "en": (
        "Item stopped working after a week, seller did not respond.",
        "Arrived late and the box was damaged.",
        "Not as described, much smaller than in the photos.",
        "Had to return it, refund took forever.",
        'Product is ok but "2-day shipping" took 6 days.',
        "Wrong color sent, had to send it back.",
        "Cheap quality for the price.",
        "Missing parts, instructions unclear.",
        "Average product, packaging was poor.",
        "Returned for a refund, still waiting.",
    ),
    "de": (
        "Artikel nach einer Woche defekt, Verkäufer antwortet nicht.",
        "Lieferung verspätet, Karton beschädigt.",
        "Nicht wie beschrieben, viel kleiner als auf den Fotos.",
        "Rücksendung war umständlich, Erstattung dauert zu lange.",
        "Falsche Farbe geliefert.",
        "Für den Preis schlechte Qualität.",
        "Teile fehlen, Anleitung nur auf Englisch.",
        "Mittelmäßig, Verpackung war schlecht.",
    ),
    "ja": (
        "1週間で壊れました。出品者から返事がありません。",
        "配送が遅れ、箱もつぶれていました。",
        "説明と違い、写真より小さいです。",
        "返品しましたが返金がまだです。",
        "違う色の商品が届きました。",
        "値段の割に品質が悪いです。",
        "部品が足りませんでした。",
        "梱包が雑でした。",
    ),
}

FEEDBACK_RESPONSES: dict[str, tuple[str, ...]] = {
    "en": (
        "We are sorry, we have contacted you by message to make this right.",
        "Thank you for the feedback, a replacement has been sent.",
    ),
    "de": (
        "Das tut uns leid, wir haben Sie per Nachricht kontaktiert.",
        "Vielen Dank, ein Ersatz wurde verschickt.",
    ),
    "ja": (
        "ご迷惑をおかけし申し訳ございません。メッセージにてご連絡いたしました。",
        "ご意見ありがとうございます。交換品を発送いたしました。",
    ),
}

PLACES: dict[str, tuple[Place, ...]] = {
    "US": (
        Place("SEATTLE", "WA", "98101-2341", 1025),
        Place("AUSTIN", "TX", "78701-4012", 825),
        Place("KERRVILLE", "TX", "78028-6411", 825),
        Place("BROOKLYN", "NY", "11201-3822", 888),
        Place("CHICAGO", "IL", "60614-5710", 1025),
        Place("MIAMI", "FLORIDA", "33130-1104", 700),
        Place("DENVER", "CO", "80202-5520", 881),
        Place("PORTLAND", "OR", "97205-2218", 0),
        Place("PHOENIX", "AZ", "85004-1511", 860),
        Place("ATLANTA", "GA", "30303-2731", 890),
        Place("BOSTON", "MA", "02116-4405", 625),
        Place("SAN JOSE", "CA", "95112-5810", 938),
        Place("LOS ANGELES", "CA", "90012-3334", 950),
        Place("COLUMBUS", "OH", "43215-2616", 750),
        Place("NASHVILLE", "TN", "37203-1804", 925),
        Place("MINNEAPOLIS", "MN", "55401-1129", 903),
        Place("WILMINGTON", "DE", "19801-3710", 0),
        Place("SAN JUAN", "PR", "00901-1412", 1150),
    ),
    "CA": (
        Place("TORONTO", "ON", "M5V 2T6", 1300),
        Place("OTTAWA", "ON", "K1P 5G4", 1300),
        Place("VANCOUVER", "BC", "V6B 1A1", 1200),
        Place("CALGARY", "AB", "T2P 1J9", 500),
        Place("MONTRÉAL", "QC", "H3B 1A7", 1498),
        Place("HALIFAX", "NS", "B3J 1V3", 1400),
        Place("WINNIPEG", "MB", "R3C 0A5", 1200),
        Place("EDMONTON", "AB", "T5J 0N3", 500),
    ),
    "UK": (
        Place("London", "Greater London", "SW1A 1AA", 2000),
        Place("Manchester", "Greater Manchester", "M1 1AE", 2000),
        Place("Birmingham", "West Midlands", "B1 1BB", 2000),
        Place("Leeds", "West Yorkshire", "LS1 4DY", 2000),
        Place("Glasgow", "", "G1 1XQ", 2000),
        Place("Bristol", "", "BS1 4DJ", 2000),
        Place("Edinburgh", "", "EH1 1YZ", 2000),
        Place("Cardiff", "", "CF10 1EP", 2000),
    ),
    "DE": (
        Place("München", "Bayern", "80331", 1900),
        Place("Köln", "Nordrhein-Westfalen", "50667", 1900),
        Place("Düsseldorf", "Nordrhein-Westfalen", "40213", 1900),
        Place("Nürnberg", "Bayern", "90402", 1900),
        Place("Hamburg", "Hamburg", "20095", 1900),
        Place("Berlin", "Berlin", "10115", 1900),
        Place("Frankfurt am Main", "Hessen", "60311", 1900),
        Place("Stuttgart", "Baden-Württemberg", "70173", 1900),
        Place("Leipzig", "Sachsen", "04109", 1900),
        Place("Mönchengladbach", "Nordrhein-Westfalen", "41061", 1900),
        Place("Gießen", "Hessen", "35390", 1900),
    ),
    "JP": (
        Place("渋谷区", "東京都", "150-0002", 1000),
        Place("世田谷区", "東京都", "154-0017", 1000),
        Place("大阪市北区", "大阪府", "530-0001", 1000),
        Place("横浜市中区", "神奈川県", "231-0005", 1000),
        Place("名古屋市中区", "愛知県", "460-0008", 1000),
        Place("札幌市中央区", "北海道", "060-0001", 1000),
        Place("福岡市博多区", "福岡県", "812-0011", 1000),
        Place("京都市左京区", "京都府", "606-8501", 1000),
        Place("仙台市青葉区", "宮城県", "980-0811", 1000),
        Place("さいたま市浦和区", "埼玉県", "330-0063", 1000),
    ),
}
