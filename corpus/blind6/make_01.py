from docx import Document

doc = Document()
doc.add_heading("Harrowby Vale Council - Children's Services", level=1)
doc.add_paragraph("Care Plan for Leon")

details = [
    ("Name", "Leon Parry"),
    ("Age", "11"),
    ("Date of plan", "12/02/2026"),
    ("Social worker", "Nadia Okafor"),
    ("Independent Reviewing Officer (IRO)", "Graham Tully"),
    ("Lives with", "Jo and Martin Beck (foster carers), Ashby Road"),
    ("Next review", "21/04/2026"),
]
t = doc.add_table(rows=0, cols=2)
t.style = "Table Grid"
for k, v in details:
    cells = t.add_row().cells
    cells[0].text = k
    cells[1].text = v

doc.add_heading("Why I have written this plan", level=2)
doc.add_paragraph(
    "Leon, this is your care plan. I am Nadia, your social worker. I wrote it after we talked in "
    "the kitchen at Jo and Martin's house on 5 February, when you showed me your Lego castle. It says "
    "what the grown-ups around you will do to help you between now and your next review."
)

doc.add_heading("Your home", level=2)
doc.add_paragraph(
    "You have lived with Jo and Martin since June 2024. The plan is for you to stay with them until "
    "you are grown up. The fostering panel agreed this on 20 January 2026, and you told me you were "
    "\"well happy\" about it."
)

doc.add_heading("Health", level=2)
doc.add_paragraph(
    "You had your health check with Nurse Patel on 28 January. She said you are fit and growing well. "
    "You use a blue inhaler for your asthma. Asthma review with GP to be arranged asap."
)

doc.add_heading("School", level=2)
doc.add_paragraph(
    "You are in Year 6 at St Aidan's Primary and your reading has come on a lot this year. You will "
    "hear about your secondary school place on 2 March. Jo and Martin will take you to the Hillcrest "
    "Academy open evening on 10 March 2026. CIC to be supported with transition to Y7 by school and "
    "SW, ongoing."
)

doc.add_heading("Family time", level=2)
doc.add_paragraph(
    "You see your mum, Carla, every other Saturday at the Linden Family Centre, and this will carry "
    "on. You asked me about your dad. I will ask your dad, Ryan, if he wants to write to you, and I "
    "will tell you his answer by 27 February 2026."
)

doc.add_heading("Feelings and behaviour", level=2)
doc.add_paragraph(
    "Bedtimes have been hard lately and sometimes you shout and throw things when it is time to turn "
    "the light off. Martin will fill in a sleep diary with you every evening. School to keep "
    "monitoring."
)

doc.add_heading("Who you are", level=2)
doc.add_paragraph(
    "Your grandad Emlyn was Welsh and you told me you want to learn some Welsh words. LSW to be "
    "offered."
)

doc.add_heading("Action plan", level=2)
rows = [
    ("Task", "Lead", "Target date", "Progress"),
    ("Review health assessment", "Nurse Patel (LAC nurse)", "31/01/2026", "Completed 28/01/2026"),
    ("Book dental check at Castle Street Dental", "Jo Beck", "13/03/2026", "Not started"),
    ("Apply for Leon's passport for the Year 6 trip to France", "Nadia Okafor (SW)", "30/04/2026",
     "In progress - form with Carla to sign"),
    ("Join Saturday swimming club", "Martin Beck", "28/02/2026", "Completed - started 7 February"),
    ("Life story book", "SW", "TBC", "Not started"),
    ("Update delegated authority form", "Nadia Okafor (SW)", "16/01/2026", "Completed"),
]
at = doc.add_table(rows=0, cols=4)
at.style = "Table Grid"
for r in rows:
    cells = at.add_row().cells
    for i, v in enumerate(r):
        cells[i].text = v

doc.add_heading("If things change", level=2)
doc.add_paragraph(
    "If you could not stay with Jo and Martin, we would look for another long-term foster home close "
    "to your school and your mum."
)

doc.add_heading("What you told me", level=2)
doc.add_paragraph(
    "You said you like living here because Martin makes pancakes on Sundays. You want a dog, and you "
    "want to see your mum for longer."
)

doc.add_heading("Your IRO and your next review", level=2)
doc.add_paragraph(
    "Your IRO is Graham Tully. He will ring you before the review to ask what you want to talk about. "
    "Your next review will be on 21 April 2026 at 4pm at Jo and Martin's house."
)

doc.add_paragraph("Nadia Okafor, Social Worker, Harrowby Vale Children in Care Team")
doc.save("/tmp/bl5a/records/bl5_01.docx")
