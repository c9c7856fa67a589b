"""Product types and variant words (English, German, Japanese) the demo catalog is built from."""

from __future__ import annotations

from typing import NamedTuple


class ProductType(NamedTuple):
    """One sellable product before variants: names per language, list price, weight."""

    english: str
    german: str
    japanese: str
    price_usd: float
    weight_kg: float


class Variant(NamedTuple):
    """A colour, scent or size word in every title language, with the SKU suffix."""

    code: str
    us: str
    uk: str
    german: str
    japanese: str


PRODUCT_TYPES: dict[str, tuple[ProductType, ...]] = {
    "kitchen": (
        ProductType(
            "Digital Kitchen Scale, 11 lb / 5 kg",
            "Digitale Küchenwaage, 5 kg",
            "デジタルキッチンスケール 最大5kg 0.1g単位",
            19.99,
            0.6,
        ),
        ProductType(
            "Stainless Steel Garlic Press",
            "Knoblauchpresse aus Edelstahl",
            "ステンレス製 ガーリックプレス",
            14.99,
            0.3,
        ),
        ProductType(
            "Bamboo Cutting Board Set, 3 Pieces",
            "Schneidebrett-Set aus Bambus, 3-teilig",
            "竹製 まな板 3枚セット",
            29.99,
            2.1,
        ),
        ProductType(
            "French Press Coffee Maker, 34 oz",
            "French Press Kaffeebereiter, 1 Liter",
            "フレンチプレス コーヒーメーカー 1000ml",
            27.99,
            0.9,
        ),
        ProductType(
            "Café Latte Milk Frother, Rechargeable",
            "Milchaufschäumer für Café Latte, wiederaufladbar",
            "電動ミルクフォーマー 充電式 カフェラテ用",
            24.99,
            0.25,
        ),
        ProductType(
            "Silicone Spatula Set, 5 Pieces",
            "Silikon-Pfannenwender-Set, 5-teilig",
            "シリコン製 ヘラ 5本セット",
            16.99,
            0.4,
        ),
        ProductType(
            "Glass Food Storage Containers with Lids, 10 Pack",
            "Glas-Frischhaltedosen mit Deckel, 10er-Pack",
            "耐熱ガラス 保存容器 蓋付き 10個セット",
            39.99,
            3.5,
        ),
        ProductType(
            "Electric Gooseneck Kettle, 1 L",
            "Elektrischer Wasserkocher mit Schwanenhals, 1 l",
            "電気ケトル グースネック 1.0L 温度調節",
            59.99,
            1.3,
        ),
        ProductType(
            "Chef's Knife, 8 Inch, German Steel",
            "Kochmesser 20 cm aus deutschem Stahl",
            "牛刀包丁 20cm ステンレス鋼",
            34.99,
            0.35,
        ),
        ProductType(
            "Non-Stick Frying Pan, 11 Inch",
            "Antihaft-Bratpfanne, 28 cm",
            "こびりつかない フライパン 28cm IH対応",
            32.99,
            1.4,
        ),
        ProductType(
            "Measuring Cups and Spoons Set, 8 Pieces",
            "Messbecher- und Messlöffel-Set, 8-teilig",
            "計量カップ・計量スプーン 8点セット",
            12.99,
            0.3,
        ),
        ProductType(
            "Insulated Water Bottle, 24 oz",
            "Isolierte Trinkflasche, 750 ml",
            "真空断熱 ステンレスボトル 750ml",
            22.99,
            0.45,
        ),
    ),
    "home": (
        ProductType(
            "Memory Foam Bath Mat", "Badematte aus Memory-Schaum", "低反発 バスマット", 21.99, 0.8
        ),
        ProductType(
            "LED Desk Lamp with USB Port",
            "LED-Schreibtischlampe mit USB-Anschluss",
            "LEDデスクライト USBポート付き",
            35.99,
            1.1,
        ),
        ProductType(
            "Blackout Curtains, 2 Panels, 52 x 84 in",
            "Verdunkelungsvorhänge, 2 Stück, 132 x 213 cm",
            "遮光カーテン 2枚組 幅100×丈200cm",
            34.99,
            1.9,
        ),
        ProductType(
            "Cotton Throw Blanket, 50 x 60 in",
            "Kuscheldecke aus Baumwolle, 130 x 150 cm",
            "綿 ブランケット 130×150cm",
            29.99,
            1.2,
        ),
        ProductType(
            "Ceramic Plant Pot Set, 3 Pieces",
            "Keramik-Blumentopf-Set, 3-teilig",
            "陶器 植木鉢 3個セット",
            26.99,
            2.4,
        ),
        ProductType(
            "Non-Slip Doormat, 24 x 36 in",
            "Fußmatte, rutschfest, 60 x 90 cm",
            "玄関マット 滑り止め 60×90cm",
            19.99,
            1.5,
        ),
        ProductType(
            "Rustproof Shower Caddy",
            "Duschablage ohne Bohren, rostfrei",
            "お風呂 シャワーラック 錆びない",
            24.99,
            0.9,
        ),
        ProductType(
            "Aroma Diffuser, 300 ml",
            "Aroma-Diffuser, 300 ml",
            "アロマディフューザー 300ml 加湿器",
            29.99,
            0.7,
        ),
        ProductType(
            "Velvet Hangers, 50 Pack",
            "Samt-Kleiderbügel, 50er-Pack",
            "ベルベット ハンガー 50本組",
            27.99,
            2.8,
        ),
        ProductType(
            "Silent Wall Clock, 12 Inch",
            "Wanduhr, geräuschlos, 30 cm",
            "掛け時計 静音 30cm",
            23.99,
            0.9,
        ),
        ProductType("Watering Can, 2 L", "Gießkanne, 2 l", "じょうろ 2L", 15.99, 0.4),
        ProductType(
            "Woven Storage Baskets, Set of 3",
            "Aufbewahrungskörbe, 3er-Set",
            "収納バスケット 3個セット",
            25.99,
            1.0,
        ),
    ),
    "electronics": (
        ProductType(
            "USB-C Charging Cable, 6 ft, 2 Pack",
            "USB-C Ladekabel, 2 m, 2 Stück",
            "USB Type-C 充電ケーブル 2m 2本セット",
            12.99,
            0.15,
        ),
        ProductType(
            "Wireless Charger Pad, 15 W",
            "Kabelloses Ladegerät, 15 W",
            "ワイヤレス充電器 15W",
            19.99,
            0.2,
        ),
        ProductType(
            "Bluetooth Earbuds with Charging Case",
            "Bluetooth-Kopfhörer mit Ladeetui",
            "Bluetooth イヤホン 充電ケース付き",
            39.99,
            0.2,
        ),
        ProductType(
            "Shockproof Phone Case for iPhone 15",
            "Handyhülle für iPhone 15, stoßfest",
            "iPhone 15 ケース 耐衝撃",
            15.99,
            0.08,
        ),
        ProductType(
            "Adjustable Aluminum Laptop Stand",
            "Laptop-Ständer aus Aluminium, höhenverstellbar",
            "ノートパソコンスタンド アルミ製 高さ調節",
            32.99,
            1.2,
        ),
        ProductType(
            "Power Bank 10000 mAh",
            "Powerbank 10000 mAh",
            "モバイルバッテリー 10000mAh",
            25.99,
            0.25,
        ),
        ProductType("USB-C Hub, 7-in-1", "USB-C Hub, 7-in-1", "USB-C ハブ 7in1", 34.99, 0.12),
        ProductType(
            "65 W GaN Wall Charger", "USB-C Ladegerät 65 W GaN", "USB充電器 65W GaN", 36.99, 0.15
        ),
        ProductType(
            "Screen Protector for iPad, 2 Pack",
            "Displayschutzfolie für iPad, 2 Stück",
            "iPad 保護フィルム 2枚入り",
            11.99,
            0.1,
        ),
        ProductType(
            "Silent Wireless Mouse",
            "Kabellose Maus, leise Tasten",
            "ワイヤレスマウス 静音",
            18.99,
            0.12,
        ),
        ProductType(
            "4K HDMI Cable, 10 ft", "HDMI-Kabel 4K, 3 m", "HDMIケーブル 4K対応 3m", 10.99, 0.2
        ),
        ProductType(
            "Magnetic Car Phone Mount",
            "Magnetische Kfz-Handyhalterung",
            "車載ホルダー マグネット式",
            17.99,
            0.15,
        ),
    ),
    "apparel": (
        ProductType(
            "Men's Cotton Crew Neck T-Shirt",
            "Herren T-Shirt mit Rundhalsausschnitt, Baumwolle",
            "メンズ Tシャツ 綿100% クルーネック",
            16.99,
            0.2,
        ),
        ProductType(
            "Women's High Waist Yoga Leggings",
            "Damen Yoga-Leggings, hohe Taille",
            "レディース ヨガレギンス ハイウエスト",
            24.99,
            0.25,
        ),
        ProductType(
            "Men's Full Zip Fleece Jacket",
            "Herren Fleecejacke mit durchgehendem Reißverschluss",
            "メンズ フリースジャケット フルジップ",
            39.99,
            0.6,
        ),
        ProductType(
            "Women's Knit Cardigan",
            "Damen Strickjacke",
            "レディース ニットカーディガン",
            34.99,
            0.5,
        ),
        ProductType(
            "Unisex Pullover Hoodie",
            "Unisex Kapuzenpullover",
            "ユニセックス パーカー プルオーバー",
            32.99,
            0.7,
        ),
        ProductType(
            "Men's Chino Shorts", "Herren Chino-Shorts", "メンズ チノショートパンツ", 26.99, 0.35
        ),
        ProductType(
            "Women's Waterproof Rain Jacket",
            "Damen Regenjacke, wasserdicht",
            "レディース レインジャケット 防水",
            49.99,
            0.55,
        ),
        ProductType(
            "Merino Wool Socks, 3 Pairs",
            "Merino-Wollsocken, 3 Paar",
            "メリノウール ソックス 3足組",
            19.99,
            0.2,
        ),
    ),
    "beauty": (
        ProductType(
            "Vitamin C Serum, 1 fl oz",
            "Vitamin-C-Serum, 30 ml",
            "ビタミンC 美容液 30ml",
            21.99,
            0.1,
        ),
        ProductType(
            "Hyaluronic Acid Moisturizer, 1.7 oz",
            "Feuchtigkeitscreme mit Hyaluronsäure, 50 ml",
            "ヒアルロン酸 保湿クリーム 50g",
            24.99,
            0.12,
        ),
        ProductType(
            "Sheet Masks, 10 Pack",
            "Tuchmasken, 10er-Pack",
            "フェイスマスク シートマスク 10枚入",
            14.99,
            0.25,
        ),
        ProductType(
            "Ionic Hair Dryer, 1800 W",
            "Haartrockner mit Ionen-Technologie, 1800 W",
            "ヘアドライヤー マイナスイオン 大風量",
            45.99,
            0.8,
        ),
        ProductType(
            "Makeup Brush Set, 12 Pieces",
            "Make-up-Pinsel-Set, 12-teilig",
            "メイクブラシ 12本セット",
            17.99,
            0.2,
        ),
        ProductType(
            "Sunscreen SPF 50, 3.4 oz",
            "Sonnencreme LSF 50, 100 ml",
            "日焼け止め SPF50+ PA++++ 100ml",
            15.99,
            0.15,
        ),
        ProductType(
            "Electric Facial Cleansing Brush",
            "Elektrische Gesichtsreinigungsbürste",
            "電動洗顔ブラシ 防水",
            29.99,
            0.3,
        ),
        ProductType(
            "Lip Balm Set, 4 Pieces",
            "Lippenpflege-Set, 4-teilig",
            "リップクリーム 4本セット",
            9.99,
            0.05,
        ),
        ProductType(
            "Natural Shampoo Bar",
            "Festes Shampoo, natürlich",
            "固形シャンプー 天然由来",
            12.99,
            0.1,
        ),
        ProductType(
            "Nail Care Kit, 8 Pieces",
            "Nagelpflege-Set, 8-teilig",
            "ネイルケアセット 8点",
            13.99,
            0.2,
        ),
    ),
    "toys": (
        ProductType(
            "Building Blocks Set, 500 Pieces",
            "Bausteine-Set, 500 Teile",
            "ブロック おもちゃ 500ピース",
            34.99,
            1.1,
        ),
        ProductType(
            "Remote Control Car, 1:16 Scale",
            "Ferngesteuertes Auto, Maßstab 1:16",
            "ラジコンカー 1/16スケール",
            39.99,
            0.9,
        ),
        ProductType(
            "Plush Teddy Bear, 12 Inch",
            "Plüsch-Teddybär, 30 cm",
            "ぬいぐるみ くま 30cm",
            19.99,
            0.4,
        ),
        ProductType(
            "Wooden Puzzle Set, 4 Puzzles",
            "Holzpuzzle-Set, 4 Puzzles",
            "木製パズル 4個セット",
            22.99,
            0.8,
        ),
        ProductType(
            "Magnetic Tiles, 60 Pieces",
            "Magnetische Bausteine, 60 Teile",
            "マグネットブロック 60ピース",
            44.99,
            1.6,
        ),
        ProductType("Kids Art Easel", "Kinder-Staffelei", "子供用 お絵かきイーゼル", 49.99, 4.5),
        ProductType(
            "Water Blaster, 2 Pack", "Wasserpistole, 2er-Pack", "水鉄砲 2個セット", 16.99, 0.5
        ),
        ProductType(
            "Family Card Game",
            "Kartenspiel für die ganze Familie",
            "家族で遊べる カードゲーム",
            14.99,
            0.3,
        ),
        ProductType(
            "Play Kitchen Accessories Set",
            "Zubehör-Set für Spielküche",
            "おままごと キッチン 道具セット",
            24.99,
            0.9,
        ),
        ProductType(
            "Dinosaur Figures, 12 Pack",
            "Dinosaurier-Figuren, 12 Stück",
            "恐竜フィギュア 12体セット",
            21.99,
            0.7,
        ),
    ),
}

COLOURS: tuple[Variant, ...] = (
    Variant("BLK", "Black", "Black", "Schwarz", "ブラック"),
    Variant("WHT", "White", "White", "Weiß", "ホワイト"),
    Variant("GRY", "Gray", "Grey", "Grau", "グレー"),
    Variant("BLU", "Blue", "Blue", "Blau", "ブルー"),
    Variant("RED", "Red", "Red", "Rot", "レッド"),
    Variant("GRN", "Green", "Green", "Grün", "グリーン"),
    Variant("NVY", "Navy", "Navy", "Marineblau", "ネイビー"),
    Variant("BEI", "Beige", "Beige", "Beige", "ベージュ"),
)

SCENTS: tuple[Variant, ...] = (
    Variant("ROS", "Rose", "Rose", "Rose", "ローズ"),
    Variant("CIT", "Citrus", "Citrus", "Zitrus", "シトラス"),
    Variant("UNS", "Unscented", "Unscented", "Ohne Duft", "無香料"),
)

SIZES: tuple[str, ...] = ("S", "M", "L", "XL")
