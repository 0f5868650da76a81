"""Who appears in a synthetic record: the child, family, carers, workers and services.

Names are drawn from many communities living in England. Nothing here describes a real person.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

# heritage -> (girls, boys, surnames, faiths, languages, heritage descriptions)
HERITAGE: dict[str, dict[str, list[str]]] = {
    "white_british": {
        "girls": ["Amelia", "Lily", "Ellie", "Chloe", "Jessica", "Poppy", "Evie", "Grace", "Freya", "Holly",
                  "Courtney", "Kayleigh", "Demi", "Millie", "Ruby", "Isla", "Tegan", "Summer", "Paige", "Bethany"],
        "boys": ["Jack", "Harry", "Charlie", "Alfie", "Tyler", "Kai", "Riley", "Mason", "Callum", "Oliver",
                 "Jayden", "Leo", "Reece", "Brandon", "Archie", "Finley", "Liam", "Connor", "Ethan", "Jake"],
        "surnames": ["Smith", "Jones", "Taylor", "Brown", "Walker", "Wright", "Hughes", "Green", "Hall",
                     "Wood", "Thompson", "Robinson", "Clarke", "Harrison", "Shaw", "Marsh", "Barker", "Dixon",
                     "Holmes", "Pearson", "Fletcher", "Lowe", "Booth"],
        "faiths": ["no religion", "no religion", "Church of England", "Catholic"],
        "languages": ["English"],
        "heritage": ["White British", "English", "White British"],
    },
    "pakistani": {
        "girls": ["Amira", "Aisha", "Maryam", "Zara", "Hafsa", "Iqra", "Eman", "Hira", "Khadija", "Noor"],
        "boys": ["Ibrahim", "Zain", "Ayaan", "Hamza", "Bilal", "Haris", "Rayyan", "Usman", "Musa", "Adam"],
        "surnames": ["Khan", "Hussain", "Akhtar", "Iqbal", "Mahmood", "Shah", "Raza", "Butt", "Ahmed"],
        "faiths": ["Muslim", "Muslim", "Islam"],
        "languages": ["Urdu", "Punjabi", "Mirpuri", "English and Urdu"],
        "heritage": ["British Pakistani", "Pakistani", "Kashmiri"],
    },
    "indian": {
        "girls": ["Priya", "Simran", "Jaspreet", "Anaya", "Kiran", "Harleen", "Diya", "Navneet"],
        "boys": ["Arjun", "Harjit", "Rohan", "Aarav", "Gurpreet", "Dev", "Manveer", "Vikram"],
        "surnames": ["Patel", "Singh", "Kaur", "Sandhu", "Sharma", "Gill", "Chauhan", "Mistry", "Bains"],
        "faiths": ["Sikh", "Hindu", "Sikh", "Hindu", "Muslim"],
        "languages": ["Punjabi", "Gujarati", "Hindi", "English"],
        "heritage": ["British Indian", "Punjabi Sikh", "Gujarati"],
    },
    "bangladeshi": {
        "girls": ["Fatima", "Sumaiya", "Tasnim", "Ruqayyah", "Nusrat", "Sadia"],
        "boys": ["Abdul", "Rahim", "Tahmid", "Sami", "Arif", "Yusuf"],
        "surnames": ["Begum", "Miah", "Uddin", "Rahman", "Islam", "Chowdhury", "Ali"],
        "faiths": ["Muslim"],
        "languages": ["Bengali", "Sylheti"],
        "heritage": ["British Bangladeshi", "Bangladeshi"],
    },
    "caribbean": {
        "girls": ["Shanice", "Nia", "Tiana", "Jada", "Aaliyah", "Kyra", "Amani", "Leah"],
        "boys": ["Tyrell", "Jermaine", "Malachi", "Kyron", "Marcus", "Isaiah", "Darnell", "Elijah"],
        "surnames": ["Campbell", "Williams", "Brown", "Francis", "Thomas", "Grant", "Edwards", "Clarke",
                     "Bailey", "Morgan"],
        "faiths": ["Christian", "Pentecostal", "no religion", "Seventh-day Adventist"],
        "languages": ["English"],
        "heritage": ["Black British Caribbean", "Jamaican", "Black British"],
    },
    "mixed": {
        "girls": ["Maya", "Lola", "Skye", "Imani", "Ariana", "Layla", "Keira"],
        "boys": ["Jaden", "Kian", "Tristan", "Reuben", "Aiden", "Theo", "Kairo"],
        "surnames": ["Campbell", "Walker", "Reid", "Ellis", "Hudson", "Palmer", "Stewart"],
        "faiths": ["no religion", "Christian"],
        "languages": ["English"],
        "heritage": ["mixed White British and Black Caribbean", "dual heritage", "mixed heritage"],
    },
    "african": {
        "girls": ["Adaeze", "Chiamaka", "Ama", "Abena", "Favour", "Blessing", "Temi", "Ifeoma", "Hodan",
                  "Sagal", "Ruth", "Merhawit"],
        "boys": ["Chidi", "Kwame", "Emeka", "Tobi", "Kofi", "David", "Samuel", "Abdirahman", "Mohamed",
                 "Yonas", "Daniel", "Tomiwa"],
        "surnames": ["Okafor", "Adeyemi", "Mensah", "Owusu", "Boateng", "Eze", "Okonkwo", "Nwosu", "Asante",
                     "Abdi", "Warsame", "Tesfaye", "Haile", "Oyelaran"],
        "faiths": ["Christian", "Muslim", "Pentecostal", "Catholic", "Eritrean Orthodox"],
        "languages": ["Yoruba", "Igbo", "Twi", "Somali", "Tigrinya", "English"],
        "heritage": ["Black British African", "Nigerian", "Ghanaian", "Somali", "Eritrean"],
    },
    "eastern_european": {
        "girls": ["Zuzanna", "Oliwia", "Alexandra", "Ioana", "Gabija", "Natalia", "Karolina", "Denisa"],
        "boys": ["Jakub", "Filip", "Kacper", "Andrei", "Matas", "Lukas", "Mihai", "Dawid"],
        "surnames": ["Nowak", "Kowalski", "Wójcik", "Popescu", "Kazlauskas", "Ionescu", "Horváth",
                     "Zielinski", "Dumitru", "Petrauskas"],
        "faiths": ["Catholic", "Romanian Orthodox", "no religion"],
        "languages": ["Polish", "Romanian", "Lithuanian", "Slovak", "Romani"],
        "heritage": ["Polish", "Romanian", "Lithuanian", "Slovak Roma", "White Other (Polish)"],
    },
    "traveller": {
        "girls": ["Bridget", "Kathleen", "Margaret", "Chelsea", "Mary", "Shannon"],
        "boys": ["Patrick", "Johnny", "Michael", "Tommy", "Martin", "Francie"],
        "surnames": ["Ward", "McDonagh", "Doherty", "Joyce", "Connors", "Maughan", "Quilligan"],
        "faiths": ["Catholic"],
        "languages": ["English", "Cant (Gammon)"],
        "heritage": ["Irish Traveller", "Gypsy/Roma/Traveller", "Romany Gypsy"],
    },
    "arab_kurdish": {
        "girls": ["Layan", "Rania", "Hiba", "Dilan", "Yasmin", "Nour", "Sidra"],
        "boys": ["Omar", "Ahmad", "Karim", "Rebwar", "Yousef", "Ali", "Hassan", "Sardar"],
        "surnames": ["Al-Hassan", "Haddad", "Mahmoud", "Saleh", "Karimi", "Rashid", "Aziz", "Hamid"],
        "faiths": ["Muslim", "Muslim", "Yazidi"],
        "languages": ["Arabic", "Kurdish Sorani", "Kurdish Kurmanji"],
        "heritage": ["Syrian", "Iraqi Kurdish", "Arab", "Sudanese"],
    },
    "afghan": {
        "girls": ["Mariam", "Zahra", "Farah"],
        "boys": ["Ahmad", "Mohammad", "Sultan", "Jawad", "Mustafa", "Wahid"],
        "surnames": ["Ahmadi", "Hakimi", "Noori", "Rahimi", "Safi"],
        "faiths": ["Muslim"],
        "languages": ["Pashto", "Dari"],
        "heritage": ["Afghan", "Pashtun"],
    },
    "chinese_se_asian": {
        "girls": ["Mei", "Jasmine", "Linh", "Hannah", "Xinyi", "Kelly"],
        "boys": ["Jun", "Ethan", "Minh", "Kevin", "Hao", "Ryan"],
        "surnames": ["Chen", "Wong", "Li", "Nguyen", "Tran", "Lam", "Zhang", "Cheung"],
        "faiths": ["no religion", "Buddhist", "Christian"],
        "languages": ["Cantonese", "Mandarin", "Vietnamese"],
        "heritage": ["British Chinese", "Vietnamese", "Hong Kong Chinese"],
    },
}
HERITAGE_WEIGHTS = {"white_british": 30, "pakistani": 8, "indian": 5, "bangladeshi": 4, "caribbean": 6,
                    "mixed": 10, "african": 9, "eastern_european": 7, "traveller": 4, "arab_kurdish": 5,
                    "afghan": 4, "chinese_se_asian": 4}

ADULT_F = ["Sue", "Karen", "Lisa", "Joanne", "Tracey", "Nadia", "Grace", "Yvonne", "Agnieszka", "Shabana",
           "Bernadette", "Helen", "Claire", "Ruth", "Parveen", "Mandy", "Siobhan", "Marie", "Hyacinth",
           "Leanne", "Rukhsana", "Sally", "Kelly", "Stacey", "Gemma", "Samira", "Joanna", "Ewa", "Dee",
           "Bev", "Lorraine", "Nasreen", "Comfort", "Jackie"]
ADULT_M = ["Dave", "Steve", "Mark", "Paul", "Gary", "Tariq", "Femi", "Winston", "Tomasz", "Imran", "Gerry",
           "Rob", "Andy", "Kwabena", "Jas", "Keith", "Declan", "Ian", "Desmond", "Wayne", "Asif", "Pete",
           "Lee", "Darren", "Craig", "Marek", "Kofi", "Jason", "Sean", "Omar", "Dean", "Ricky", "Adrian"]
ADULT_FIRST = ADULT_F + ADULT_M
WORKER_FIRST = ["Jo", "Sam", "Priya", "Hannah", "Tom", "Rachel", "Kemi", "Danielle", "Ravinder", "Emma",
                "Olu", "Becky", "Chris", "Shazia", "Laura", "Gareth", "Nicola", "Marta", "Callum", "Funmi",
                "Zoe", "Aaron", "Ifeanyi", "Katie", "Hayley", "Mo", "Beth", "Sinead", "Natalie", "Jamal"]
WORKER_SURNAMES = ["Bennett", "Okafor", "Shah", "Nowak", "Hughes", "Adeyemi", "Begum", "O'Neill", "Patel",
                   "Fraser", "Kowalczyk", "Mensah", "Lloyd", "Iqbal", "Turner", "Osei", "Grant", "Marsden",
                   "Doyle", "Chaudhry", "Ellison", "Pryce", "Wilkinson", "Achebe", "Sandhu", "Fitzgerald",
                   "Harper", "Kaur", "Whitfield", "Ramsey"]
TOWNS = ["Leeds", "Bradford", "Wolverhampton", "Stoke", "Derby", "Luton", "Hull", "Sheffield", "Croydon",
         "Lewisham", "Oldham", "Rochdale", "Coventry", "Reading", "Walsall", "Doncaster", "Barking", "Ipswich",
         "Blackburn", "Sunderland", "Northampton", "Swindon", "Slough", "Peterborough", "Birmingham"]
STREET_WORDS = ["Oak", "Elm", "Beech", "Willow", "Mill", "Station", "Church", "Park", "Hollins", "Moor",
                "Ash", "Meadow", "Highfield", "Springfield", "Greenbank"]
SCHOOL_PRIMARY = ["St Mary's Primary", "Greenfield Primary", "Oakwood Academy", "Hollybank Primary",
                  "Park Lane Primary", "St Joseph's Catholic Primary", "Meadowside Primary",
                  "Brook Street Infants", "Highfield Junior School", "Castle Hill Primary"]
SCHOOL_SECONDARY = ["Kingsmead Academy", "Ridgeway High", "St Aidan's", "Northfield School",
                    "Parkside Academy", "Bishop Hurst High", "Moorlands College", "Westgate Academy",
                    "Hillcrest School", "the Pupil Referral Unit", "Beacon Hill (PRU)", "Fairway School"]
NURSERIES = ["Little Acorns nursery", "Busy Bees", "Rainbow Day Nursery", "the children's centre nursery",
             "Tiny Steps pre-school", "Sunshine nursery"]
COLLEGES = ["the local college", "Kirkgate College", "City College", "Riverside College", "the sixth form",
            "Trafford College", "a Princes Trust course", "an apprenticeship with a garage",
            "a construction course"]
HOBBIES_YOUNG = ["playing with {yr} dolls", "dinosaurs", "Peppa Pig", "the park", "swimming", "painting",
                 "building with Lego", "Bluey", "playing in the sand pit", "stories at bedtime"]
HOBBIES_PRIMARY = ["football", "swimming", "gymnastics", "Minecraft", "Roblox", "drawing", "dancing",
                   "Beavers", "riding {yr} bike", "baking with {carer_first}", "karate", "Pokémon cards",
                   "reading Dog Man books", "singing", "trampolining"]
HOBBIES_TEEN = ["football", "boxing", "the gym", "cadets", "drama", "TikTok dances", "gaming", "fishing",
                "music production", "cooking", "make-up", "basketball", "horse riding", "art", "skateboarding",
                "the youth club", "netball", "fixing bikes"]
PETS = ["a dog called Biscuit", "two cats", "a rabbit called Snowy", "a tortoise", "a cockapoo called Bella",
        "a hamster", "chickens", "a staffie called Tyson"]
CAMHS_NAMES = ["CAMHS", "the CAMHS team", "Healthy Minds", "the children's mental health team", "Kooth",
               "the Emotional Health service"]


@dataclass
class Person:
    first: str
    surname: str = ""
    title: str = ""

    @property
    def full(self) -> str:
        return f"{self.first} {self.surname}".strip()

    @property
    def formal(self) -> str:
        return f"{self.title} {self.surname}".strip() if self.title else self.full


@dataclass
class Cast:
    """Everyone and everything a record about one child can name."""

    first: str
    surname: str
    gender: str  # f | m | x
    age: int
    heritage_key: str
    heritage: str
    faith: str
    language: str
    living: str  # foster | kinship | residential | semi_independent
    carers: list[Person]
    carer_label: str  # first mention in good writing, a template ("Sue and Dave", "{yr} aunt Leila")
    carer_short: str  # later mentions ("Sue and Dave", "Auntie Leila", "Marcus")
    carer_plural: bool
    mum: Person
    dad: Person
    siblings: list[tuple[str, int, str]]  # (name, age, gender)
    sw: Person
    iro: Person
    pa: Person
    teacher: Person
    nurse: Person
    school: str
    town: str
    home_street: str
    hobbies: list[str]
    pet: str | None
    friend: str
    camhs: str
    perm: str = "ltfc"  # the plan for permanence: ltfc | adopt | rh | sgo | movefc | resstay | indep
    extras: dict[str, str] = field(default_factory=dict)


def _pick_heritage(rng: random.Random) -> str:
    keys = list(HERITAGE_WEIGHTS)
    return rng.choices(keys, weights=[HERITAGE_WEIGHTS[k] for k in keys])[0]


def _title(rng: random.Random, gender: str) -> str:
    if rng.random() < 0.03:
        return "Dr"
    return rng.choice(["Ms", "Ms", "Mrs", "Miss"]) if gender == "f" else "Mr"


FEMALE_WORKERS = {"Jo", "Priya", "Hannah", "Rachel", "Kemi", "Danielle", "Emma", "Becky", "Shazia", "Laura",
                  "Nicola", "Marta", "Funmi", "Zoe", "Katie", "Hayley", "Beth", "Sinead", "Natalie", "Sam"}


def worker(rng: random.Random, avoid: set[str] | None = None) -> Person:
    first = rng.choice([w for w in WORKER_FIRST if not avoid or w not in avoid])
    g = "f" if first in FEMALE_WORKERS else "m"
    return Person(first, rng.choice(WORKER_SURNAMES), _title(rng, g))


def make_cast(rng: random.Random, age: int) -> Cast:
    hk = _pick_heritage(rng)
    h = HERITAGE[hk]
    gender = rng.choices(["f", "m", "x"], weights=[48, 48, 4 if age >= 12 else 0])[0]
    pool = h["girls"] if gender == "f" else h["boys"] if gender == "m" else h["girls"] + h["boys"]
    first = rng.choice(pool)
    surname = rng.choice(h["surnames"])
    if age >= 16:
        living = rng.choices(["foster", "kinship", "residential", "semi_independent"], [40, 10, 15, 35])[0]
    elif age >= 11:
        living = rng.choices(["foster", "kinship", "residential"], [60, 20, 20])[0]
    elif age >= 6:
        living = rng.choices(["foster", "kinship", "residential"], [75, 22, 3])[0]
    else:
        living = rng.choices(["foster", "kinship"], [75, 25])[0]
    if living == "foster":
        a, b = rng.choice(ADULT_F), rng.choice(ADULT_M if rng.random() < 0.85 else ADULT_F)
        csur = rng.choice(WORKER_SURNAMES)
        if rng.random() < 0.55 and a != b:
            carers = [Person(a, csur, "Mrs"), Person(b, csur, "Mr" if b in ADULT_M else "Ms")]
            label = short = f"{a} and {b}"
            plural = True
        else:
            carers = [Person(a, csur, "Ms")]
            label = short = a
            plural = False
    elif living == "kinship":
        n = rng.choice(ADULT_F if rng.random() < 0.65 else ADULT_M)
        rel = [("Nan", "Nan"), ("Nana", "Nana"), ("Grandma", "Grandma"), ("Grandad and Nan", "Grandad and Nan"),
               ("{yr} cousin " + n, n)]
        if n in ADULT_F:
            rel += [("{yr} aunt " + n, "Auntie " + n), ("Auntie " + n, "Auntie " + n), ("{yr} big sister " + n, n)]
        else:
            rel += [("{yr} uncle " + n, n), ("{yr} big brother " + n, n)]
        label, short = rng.choice(rel)
        carers = [Person(n, surname)]
        plural = " and " in short
    elif living == "residential":
        n = rng.choice(ADULT_F if rng.random() < 0.65 else ADULT_M)
        house = rng.choice(["Oakfield House", "Willow Lodge", "The Beeches", "Maple House", "Ashdown",
                            "Rowan Cottage", "Brookside"])
        label, short = f"{n}, {{yr}} keyworker at {house}", n
        carers = [Person(n, rng.choice(WORKER_SURNAMES))]
        plural = False
    else:
        n = rng.choice(ADULT_F if rng.random() < 0.65 else ADULT_M)
        house = rng.choice(["Greenway Court", "the Foyer", "Station Road flats", "Elm House", "Castle Mews"])
        label, short = f"{n}, {{yr}} support worker at {house}", n
        carers = [Person(n, rng.choice(WORKER_SURNAMES))]
        plural = False
    if living in ("foster", "kinship"):
        house = f"{rng.randint(2, 140)} {rng.choice(STREET_WORDS)} {rng.choice(['Road', 'Street', 'Close', 'Avenue', 'Lane', 'Drive'])}"
    mum = Person(rng.choice(h["girls"] if rng.random() < 0.5 else ADULT_F), surname, "Ms")
    dad = Person(rng.choice(h["boys"] if rng.random() < 0.5 else ADULT_M), rng.choice(h["surnames"]), "Mr")
    sibs = []
    for _ in range(rng.choices([0, 1, 2, 3, 4], [20, 35, 25, 12, 8])[0]):
        g = rng.choice("fm")
        sibs.append((rng.choice(h["girls"] if g == "f" else h["boys"]), max(0, age + rng.randint(-8, 8)), g))
    sibs = [s for s in sibs if s[0] != first]
    if age <= 4:
        school = rng.choice(NURSERIES) if age >= 2 else "none"
    elif age <= 10:
        school = rng.choice(SCHOOL_PRIMARY)
    elif age <= 15:
        school = rng.choice(SCHOOL_SECONDARY)
    else:
        school = rng.choice(COLLEGES)
    if age <= 4:
        hobbies = rng.sample(HOBBIES_YOUNG, 3)
    elif age <= 10:
        hobbies = rng.sample(HOBBIES_PRIMARY, 3)
    else:
        hobbies = rng.sample(HOBBIES_TEEN, 3)
    if living == "kinship":
        perm = rng.choice(["sgo", "sgo", "ltfc"])
    elif living == "residential":
        perm = rng.choice(["movefc", "resstay"])
    elif living == "semi_independent":
        perm = "indep"
    elif age <= 4:
        perm = rng.choice(["adopt", "adopt", "ltfc", "rh"])
    else:
        perm = rng.choice(["ltfc", "ltfc", "ltfc", "rh"])
    ws: list[Person] = []
    for _ in range(5):
        ws.append(worker(rng, {w.first for w in ws}))
    return Cast(
        first=first, surname=surname, gender=gender, age=age, heritage_key=hk,
        heritage=rng.choice(h["heritage"]), faith=rng.choice(h["faiths"]), language=rng.choice(h["languages"]),
        living=living, carers=carers, carer_label=label, carer_short=short, carer_plural=plural, mum=mum, dad=dad,
        siblings=sibs, sw=ws[0], iro=ws[1], pa=ws[2], teacher=ws[3], nurse=ws[4], school=school, town=rng.choice(TOWNS),
        home_street=house,
        hobbies=hobbies, pet=rng.choice(PETS) if rng.random() < 0.4 else None,
        friend=rng.choice([g for hh in HERITAGE.values() for g in hh["girls"] + hh["boys"]]),
        camhs=rng.choice(CAMHS_NAMES), perm=perm,
    )


WORSHIP = {"Muslim": "the mosque", "Islam": "the mosque", "Sikh": "the gurdwara", "Hindu": "the temple",
           "Buddhist": "the temple", "Yazidi": "the community centre", "Church of England": "church",
           "Catholic": "Mass", "Christian": "church", "Pentecostal": "church", "Seventh-day Adventist": "church",
           "Eritrean Orthodox": "church", "Romanian Orthodox": "church"}
FAITH_ITEMS = {"the mosque": ["a prayer mat", "new clothes for Eid", "a Qur'an"],
               "the gurdwara": ["a kara", "new clothes for Vaisakhi", "a patka"],
               "the temple": ["a Diwali outfit", "diyas for Diwali"],
               "church": ["a children's Bible", "a cross necklace", "clothes for church"],
               "Mass": ["a rosary", "an outfit for First Holy Communion"],
               "the community centre": ["clothes for the spring festival"]}
FESTIVALS = {"the mosque": "Eid", "the gurdwara": "Vaisakhi", "the temple": "Diwali", "church": "Christmas",
             "Mass": "Christmas", "the community centre": "the Yazidi New Year"}
FOODS = {"white_british": ["a Sunday roast", "fish and chips", "shepherd's pie"],
         "pakistani": ["biryani", "daal and chapatti", "kebabs"], "indian": ["daal and roti", "paneer", "samosas"],
         "bangladeshi": ["fish curry and rice", "biryani"], "caribbean": ["rice and peas", "jerk chicken", "patties"],
         "mixed": ["rice and peas", "a Sunday roast", "jerk chicken"],
         "african": ["jollof rice", "egusi soup", "injera", "plantain"],
         "eastern_european": ["pierogi", "sarmale", "cepelinai"], "traveller": ["bacon and cabbage", "stew"],
         "arab_kurdish": ["dolma", "kebabs", "maqluba"], "afghan": ["kabuli pulao", "mantu"],
         "chinese_se_asian": ["dumplings", "pho", "noodles"]}
CULTURE_EVENTS = {"white_british": "the village fair", "pakistani": "the Eid party at the community centre",
                  "indian": "the Diwali celebration in town", "bangladeshi": "the Boishakhi Mela",
                  "caribbean": "the Black History Month event", "mixed": "the Black History Month event",
                  "african": "the African Caribbean carnival", "eastern_european": "the Saturday school",
                  "traveller": "the Gypsy Roma Traveller History Month event", "arab_kurdish": "the Newroz festival",
                  "afghan": "the Afghan community Eid party", "chinese_se_asian": "the Chinese New Year celebration"}
