"""Local-government vocabulary for the generated data: councils, people, subjects, text.

Real council names are public facts; the people, posts and groups made from them are not.
"""

from __future__ import annotations

import re

# Councils and bodies by region (England's nine regions, Wales, Scotland, national bodies).
_COUNCILS_BY_REGION = {
    "North East": """
        Durham County Council; Northumberland County Council; Gateshead Council;
        Newcastle City Council; North Tyneside Council; South Tyneside Council;
        Sunderland City Council; Darlington Borough Council; Hartlepool Borough Council;
        Middlesbrough Council; Redcar and Cleveland Borough Council;
        Stockton-on-Tees Borough Council; North East Combined Authority""",
    "North West": """
        Blackburn with Darwen Borough Council; Blackpool Council; Bolton Council; Bury Council;
        Manchester City Council; Oldham Council; Rochdale Borough Council; Salford City Council;
        Stockport Council; Tameside Council; Trafford Council; Wigan Council; Knowsley Council;
        Liverpool City Council; St Helens Council; Sefton Council; Wirral Council;
        Cheshire East Council; Cheshire West and Chester Council; Halton Borough Council;
        Warrington Borough Council; Cumberland Council; Westmorland and Furness Council;
        Lancashire County Council; Burnley Borough Council; Chorley Council; Fylde Council;
        Hyndburn Borough Council; Lancaster City Council; Pendle Borough Council;
        Preston City Council; Ribble Valley Borough Council; Rossendale Borough Council;
        South Ribble Borough Council; West Lancashire Borough Council; Wyre Council;
        Greater Manchester Combined Authority; Liverpool City Region Combined Authority""",
    "Yorkshire and the Humber": """
        Barnsley Council; Doncaster Council; Rotherham Metropolitan Borough Council;
        Sheffield City Council; Bradford Council; Calderdale Council; Kirklees Council;
        Leeds City Council; Wakefield Council; City of York Council;
        East Riding of Yorkshire Council; Hull City Council; North East Lincolnshire Council;
        North Lincolnshire Council; North Yorkshire Council; West Yorkshire Combined Authority;
        South Yorkshire Mayoral Combined Authority""",
    "East Midlands": """
        Derby City Council; Leicester City Council; Nottingham City Council;
        Rutland County Council; North Northamptonshire Council; West Northamptonshire Council;
        Derbyshire County Council; Leicestershire County Council; Lincolnshire County Council;
        Nottinghamshire County Council; Amber Valley Borough Council; Bolsover District Council;
        Chesterfield Borough Council; Derbyshire Dales District Council;
        Erewash Borough Council; High Peak Borough Council;
        North East Derbyshire District Council; South Derbyshire District Council;
        Blaby District Council; Charnwood Borough Council; Harborough District Council;
        Hinckley and Bosworth Borough Council; Melton Borough Council;
        North West Leicestershire District Council; Oadby and Wigston Borough Council;
        Boston Borough Council; East Lindsey District Council; City of Lincoln Council;
        North Kesteven District Council; South Holland District Council;
        South Kesteven District Council; West Lindsey District Council;
        Ashfield District Council; Bassetlaw District Council; Broxtowe Borough Council;
        Gedling Borough Council; Mansfield District Council;
        Newark and Sherwood District Council; Rushcliffe Borough Council;
        East Midlands Councils""",
    "West Midlands": """
        Birmingham City Council; Coventry City Council; Dudley Council; Sandwell Council;
        Solihull Council; Walsall Council; City of Wolverhampton Council;
        Herefordshire Council; Shropshire Council; Stoke-on-Trent City Council;
        Telford and Wrekin Council; Staffordshire County Council;
        Warwickshire County Council; Worcestershire County Council;
        Cannock Chase District Council; East Staffordshire Borough Council;
        Lichfield District Council; Newcastle-under-Lyme Borough Council;
        South Staffordshire Council; Stafford Borough Council;
        Staffordshire Moorlands District Council; Tamworth Borough Council;
        North Warwickshire Borough Council; Nuneaton and Bedworth Borough Council;
        Rugby Borough Council; Stratford-on-Avon District Council; Warwick District Council;
        Bromsgrove District Council; Malvern Hills District Council;
        Redditch Borough Council; Worcester City Council; Wychavon District Council;
        Wyre Forest District Council; West Midlands Combined Authority""",
    "East of England": """
        Bedford Borough Council; Central Bedfordshire Council; Luton Borough Council;
        Peterborough City Council; Southend-on-Sea City Council; Thurrock Council;
        Cambridgeshire County Council; Essex County Council; Hertfordshire County Council;
        Norfolk County Council; Suffolk County Council; Cambridge City Council;
        East Cambridgeshire District Council; Fenland District Council;
        Huntingdonshire District Council; South Cambridgeshire District Council;
        Basildon Borough Council; Braintree District Council; Brentwood Borough Council;
        Castle Point Borough Council; Chelmsford City Council; Colchester City Council;
        Epping Forest District Council; Harlow Council; Maldon District Council;
        Rochford District Council; Tendring District Council; Uttlesford District Council;
        Broxbourne Borough Council; Dacorum Borough Council; East Hertfordshire District Council;
        Hertsmere Borough Council; North Hertfordshire Council;
        St Albans City and District Council; Stevenage Borough Council;
        Three Rivers District Council; Watford Borough Council; Welwyn Hatfield Borough Council;
        Breckland Council; Broadland District Council; Great Yarmouth Borough Council;
        King's Lynn and West Norfolk Borough Council; North Norfolk District Council;
        Norwich City Council; South Norfolk Council; Babergh District Council;
        East Suffolk Council; Ipswich Borough Council; Mid Suffolk District Council;
        West Suffolk Council; Cambridgeshire and Peterborough Combined Authority""",
    "London": """
        City of London Corporation; London Borough of Barking and Dagenham;
        London Borough of Barnet; London Borough of Bexley; London Borough of Brent;
        London Borough of Bromley; London Borough of Camden; London Borough of Croydon;
        London Borough of Ealing; London Borough of Enfield; Royal Borough of Greenwich;
        London Borough of Hackney; London Borough of Hammersmith and Fulham;
        London Borough of Haringey; London Borough of Harrow; London Borough of Havering;
        London Borough of Hillingdon; London Borough of Hounslow; London Borough of Islington;
        Royal Borough of Kensington and Chelsea; Royal Borough of Kingston upon Thames;
        London Borough of Lambeth; London Borough of Lewisham; London Borough of Merton;
        London Borough of Newham; London Borough of Redbridge;
        London Borough of Richmond upon Thames; London Borough of Southwark;
        London Borough of Sutton; London Borough of Tower Hamlets;
        London Borough of Waltham Forest; London Borough of Wandsworth;
        Westminster City Council; Greater London Authority; London Councils;
        Local Government Association; Ministry of Housing, Communities and Local Government""",
    "South East": """
        Bracknell Forest Council; Brighton and Hove City Council; Isle of Wight Council;
        Medway Council; Milton Keynes City Council; Portsmouth City Council;
        Reading Borough Council; Slough Borough Council; Southampton City Council;
        West Berkshire Council; Royal Borough of Windsor and Maidenhead;
        Wokingham Borough Council; Buckinghamshire Council; East Sussex County Council;
        Hampshire County Council; Kent County Council; Oxfordshire County Council;
        Surrey County Council; West Sussex County Council; Eastbourne Borough Council;
        Hastings Borough Council; Lewes District Council; Rother District Council;
        Wealden District Council; Basingstoke and Deane Borough Council;
        East Hampshire District Council; Eastleigh Borough Council; Fareham Borough Council;
        Gosport Borough Council; Hart District Council; Havant Borough Council;
        New Forest District Council; Rushmoor Borough Council; Test Valley Borough Council;
        Winchester City Council; Ashford Borough Council; Canterbury City Council;
        Dartford Borough Council; Dover District Council; Folkestone and Hythe District Council;
        Gravesham Borough Council; Maidstone Borough Council; Sevenoaks District Council;
        Swale Borough Council; Thanet District Council; Tonbridge and Malling Borough Council;
        Tunbridge Wells Borough Council; Cherwell District Council; Oxford City Council;
        South Oxfordshire District Council; Vale of White Horse District Council;
        West Oxfordshire District Council; Elmbridge Borough Council;
        Epsom and Ewell Borough Council; Guildford Borough Council; Mole Valley District Council;
        Reigate and Banstead Borough Council; Runnymede Borough Council;
        Spelthorne Borough Council; Surrey Heath Borough Council; Tandridge District Council;
        Waverley Borough Council; Woking Borough Council; Adur District Council;
        Arun District Council; Chichester District Council; Crawley Borough Council;
        Horsham District Council; Mid Sussex District Council; Worthing Borough Council;
        Kent Fire and Rescue Service; South Downs National Park Authority""",
    "South West": """
        Bath and North East Somerset Council; Bournemouth, Christchurch and Poole Council;
        Bristol City Council; Cornwall Council; Dorset Council; Council of the Isles of Scilly;
        North Somerset Council; Plymouth City Council; South Gloucestershire Council;
        Swindon Borough Council; Torbay Council; Wiltshire Council; Somerset Council;
        Devon County Council; Gloucestershire County Council; East Devon District Council;
        Exeter City Council; Mid Devon District Council; North Devon Council;
        South Hams District Council; Teignbridge District Council; Torridge District Council;
        West Devon Borough Council; Cheltenham Borough Council; Cotswold District Council;
        Forest of Dean District Council; Gloucester City Council; Stroud District Council;
        Tewkesbury Borough Council; Devon and Somerset Fire and Rescue Service;
        Dartmoor National Park Authority""",
    "Wales": """
        Blaenau Gwent County Borough Council; Bridgend County Borough Council;
        Caerphilly County Borough Council; Cardiff Council; Carmarthenshire County Council;
        Ceredigion County Council; Conwy County Borough Council; Denbighshire County Council;
        Flintshire County Council; Gwynedd Council; Isle of Anglesey County Council;
        Merthyr Tydfil County Borough Council; Monmouthshire County Council;
        Neath Port Talbot Council; Newport City Council; Pembrokeshire County Council;
        Powys County Council; Rhondda Cynon Taf County Borough Council; Swansea Council;
        Torfaen County Borough Council; Vale of Glamorgan Council;
        Wrexham County Borough Council; Welsh Local Government Association""",
    "Scotland": """
        Aberdeen City Council; Aberdeenshire Council; Angus Council; Argyll and Bute Council;
        Clackmannanshire Council; Dumfries and Galloway Council; Dundee City Council;
        East Ayrshire Council; East Dunbartonshire Council; East Lothian Council;
        East Renfrewshire Council; City of Edinburgh Council; Comhairle nan Eilean Siar;
        Falkirk Council; Fife Council; Glasgow City Council; Highland Council;
        Inverclyde Council; Midlothian Council; Moray Council; North Ayrshire Council;
        North Lanarkshire Council; Orkney Islands Council; Perth and Kinross Council;
        Renfrewshire Council; Scottish Borders Council; Shetland Islands Council;
        South Ayrshire Council; South Lanarkshire Council; Stirling Council;
        West Dunbartonshire Council; West Lothian Council;
        Convention of Scottish Local Authorities; Improvement Service""",
}

_DOMAIN_NOISE = re.compile(
    r"\b(london borough of|royal borough of|city of|council of the|county borough council|"
    r"metropolitan borough council|borough council|district council|county council|"
    r"city council|city and district council|council|corporation)\b"
)
_SPECIAL_DOMAINS = {
    "Local Government Association": "local.gov.uk",
    "Ministry of Housing, Communities and Local Government": "communities.gov.uk",
    "Welsh Local Government Association": "wlga.gov.uk",
    "Convention of Scottish Local Authorities": "cosla.gov.uk",
    "Improvement Service": "improvementservice.org.uk",
    "Greater London Authority": "london.gov.uk",
    "City of London Corporation": "cityoflondon.gov.uk",
    "London Councils": "londoncouncils.gov.uk",
}


def _domain(name: str, region: str) -> str:
    if name in _SPECIAL_DOMAINS:
        return _SPECIAL_DOMAINS[name]
    stem = _DOMAIN_NOISE.sub(" ", name.lower())
    stem = stem.replace("combined authority", "ca").replace("national park authority", "npa")
    stem = re.sub(r"[^a-z]+", "", re.sub(r"\band\b", "", stem))
    suffix = {"Scotland": "gov.scot", "Wales": "gov.wales"}.get(region, "gov.uk")
    if "fire and rescue" in name.lower():
        suffix = "fire.uk"
        stem = re.sub(r"fireandrescueservice|firerescueservice", "fire", stem)
    return f"{stem}.{suffix}"


def _councils() -> list[tuple[str, str, str]]:
    found = []
    for region, text in _COUNCILS_BY_REGION.items():
        for name in (" ".join(part.split()) for part in text.split(";")):
            if name:
                found.append((name, region, _domain(name, region)))
    return found


def _words(text: str) -> list[str]:
    return text.split()


# (name, region, email domain), about 380 councils and bodies.
COUNCILS: list[tuple[str, str, str]] = _councils()
REGIONS: list[str] = list(_COUNCILS_BY_REGION)

FIRST_NAMES = _words(
    """
Amira Aisha Alex Alice Alison Amanda Amy Andrew Angela Anna Anthony Asha Ben Bethan Bilal
Carl Caroline Catherine Charlotte Chloe Chris Claire Colin Craig Daniel David Deborah Declan
Dylan Eilidh Elaine Eleanor Emma Eve Farah Fatima Fiona Gareth Gemma Graham Hannah Harriet
Hassan Helen Ian Imran Isla Jack James Jane Jasmine Jason Jennifer Joanne John Jonathan
Joseph Julie Karen Kate Kerry Kevin Kirsty Laura Lee Leanne Lisa Louise Lucy Mairi Mark
Martin Matthew Megan Michael Michelle Mohammed Nadia Naomi Neil Nicola Niamh Oliver Owen Paul
Peter Philip Priya Rachel Rajesh Rebecca Rhys Richard Robert Rosie Ruth Ryan Sam Samina Sandra
Sarah Scott Sean Shabana Sian Simon Sophie Stephen Steven Stuart Susan Tariq Thomas Tom Tracey
Usha Vikram Wendy William Yasmin Zainab Zoe Aled Angharad Callum Catriona Ewan Fraser Gwen
Hamish Iwan Kieran Lowri Morag Rhian Siobhan Tegan
"""
)

LAST_NAMES = _words(
    """
Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson Thompson
Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson Wood Turner
Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen James Scott
Phillips Watson Davis Parker Price Bennett Young Griffiths Mitchell Kelly Cook Carter Richardson
Bailey Collins Bell Shaw Murphy Miller Cox Richards Khan Marshall Anderson Simpson Ellis Adams
Singh Begum Wilkinson Foster Chapman Powell Webb Rogers Gray Mason Ali Hunt Hussain Campbell
Matthews Owen Palmer Holmes Mills Barnes Knight Lloyd Butler Russell Barker Fisher Stevens Jenkins
Murray Dixon Harvey Graham Pearson Ahmed Fletcher Walsh Kaur Gibson Howard Andrews Stewart
Elliott Reynolds Saunders Payne Fox Ford Pearce Day Brooks West Lawrence Cole Atkinson Bradley
Spencer Gill Dawson Ball Burton O'Brien Watts Rose Booth Perry Ryan Grant Wells Armstrong Francis
Rees Hayes Hart Hudson Newman Barrett Webster Hunter Gregory Carr Lowe Page Marsh Riley Dunn
Woods Parsons Berry Stone Reid Holland Hawkins Harding Porter Robertson Newton Oliver Reed
Kennedy Williamson Bird Gardner Shah Dean Lane Cooke Bates Henderson Parry Burgess Bishop Walton
Burns Nicholson Shepherd Ross Cross Long Freeman Warren Nicholls Hamilton Byrne Sutton McDonald
Yates Hodgson Robson Curtis Hopkins O'Connor Harper Coleman Watkins Moss McCarthy Chambers
Macdonald Fraser Sinclair Llewellyn Pritchard Vaughan Rahman Chowdhury Iqbal Mahmood Nwosu Okafor
Mensah Kowalski Nowak
"""
)

OFFICER_TITLES = [
    "Head of Public Health Strategy",
    "Flood Risk Manager",
    "Lead Local Flood Officer",
    "Commissioning Manager, Children's Services",
    "Performance and Intelligence Manager",
    "Sector-led Improvement Adviser",
    "Digital Services Manager",
    "Policy Officer",
    "Senior Policy Officer",
    "Head of Policy and Partnerships",
    "Chief Executive",
    "Director of Adult Social Services",
    "Director of Children's Services",
    "Director of Public Health",
    "Assistant Director, Housing",
    "Housing Options Manager",
    "Homelessness Prevention Officer",
    "Head of Revenues and Benefits",
    "Strategic Finance Manager",
    "Section 151 Officer",
    "Monitoring Officer",
    "Democratic Services Officer",
    "Scrutiny Officer",
    "Community Safety Manager",
    "Emergency Planning Officer",
    "Climate Change Officer",
    "Sustainability Manager",
    "Economic Development Officer",
    "Regeneration Manager",
    "Planning Policy Manager",
    "Principal Planning Officer",
    "Building Control Surveyor",
    "Environmental Health Officer",
    "Trading Standards Officer",
    "Licensing Manager",
    "Waste and Recycling Manager",
    "Highways Asset Manager",
    "Transport Planner",
    "Library Services Manager",
    "Culture and Leisure Manager",
    "Customer Services Manager",
    "Data Protection Officer",
    "Information Governance Lead",
    "Head of ICT",
    "Enterprise Architect",
    "Data Analyst",
    "Business Intelligence Analyst",
    "Programme Manager",
    "Project Officer",
    "Transformation Lead",
    "HR Business Partner",
    "Organisational Development Manager",
    "Procurement Manager",
    "Internal Audit Manager",
    "Communications Manager",
    "Consultation and Engagement Officer",
    "Social Worker",
    "Team Manager, Adult Social Care",
    "Safeguarding Adults Lead",
    "Early Help Coordinator",
    "SEND Strategic Lead",
    "School Place Planning Officer",
    "Troubled Families Coordinator",
    "Community Development Worker",
    "Neighbourhood Manager",
    "Equalities Officer",
    "Asset Manager",
    "Estates Surveyor",
    "Parks and Open Spaces Manager",
    "Coroner's Officer",
]

COUNCILLOR_TITLES = [
    "Leader of the Council",
    "Deputy Leader",
    "Cabinet Member for Adult Social Care",
    "Cabinet Member for Children and Families",
    "Cabinet Member for Housing",
    "Cabinet Member for Finance",
    "Cabinet Member for Environment and Climate",
    "Cabinet Member for Health and Wellbeing",
    "Cabinet Member for Transport",
    "Executive Member for Communities",
    "Executive Member for Regeneration",
    "Chair, Overview and Scrutiny Committee",
    "Chair, Health Scrutiny Committee",
    "Chair, Audit Committee",
    "Chair, Planning Committee",
    "Chair, Licensing Committee",
    "Chair, Police and Crime Panel",
    "Chair, Health and Wellbeing Board",
    "Ward Councillor",
    "Opposition Spokesperson for Finance",
    "Portfolio Holder for Digital",
    "Lead Member for Equalities",
    "Armed Forces Champion",
    "Mayor",
]

OTHER_TITLES = [
    "Policy Researcher",
    "Improvement Consultant",
    "Programme Director, Voluntary Sector",
    "Chief Officer, Council for Voluntary Service",
    "Housing Association Partnership Manager",
    "NHS Integrated Care Board Manager",
    "Academic Researcher, Local Governance",
    "Fire and Rescue Station Manager",
    "Police Partnership Inspector",
]

EXPERTISE = [
    "adult social care",
    "children's services",
    "public health",
    "health and wellbeing",
    "integration",
    "early help",
    "safeguarding",
    "send",
    "housing",
    "homelessness",
    "planning",
    "regeneration",
    "economic development",
    "flood risk",
    "climate adaptation",
    "net zero",
    "waste and recycling",
    "highways",
    "transport",
    "community safety",
    "police and crime panels",
    "scrutiny",
    "governance",
    "audit",
    "finance",
    "procurement",
    "commissioning",
    "performance",
    "benchmarking",
    "data",
    "digital",
    "service design",
    "cyber security",
    "information governance",
    "workforce",
    "organisational development",
    "peer challenge",
    "sector-led improvement",
    "community budgets",
    "place-based working",
    "devolution",
    "emergency planning",
    "resilience",
    "libraries",
    "culture",
    "leisure",
    "parks",
    "licensing",
    "trading standards",
    "environmental health",
    "revenues and benefits",
    "council tax",
    "business rates",
    "equalities",
    "community engagement",
    "consultation",
    "communications",
    "elections",
    "democratic services",
    "member development",
    "armed forces covenant",
    "asylum and refugees",
    "cost of living",
    "welfare reform",
    "social value",
    "local plans",
    "neighbourhood planning",
    "town centres",
    "skills",
    "apprenticeships",
    "domestic abuse",
    "youth services",
    "troubled families",
    "dementia",
    "carers",
    "mental health",
    "loneliness",
    "asset management",
]

# (group subject, tags)
SUBJECTS: list[tuple[str, list[str]]] = [
    ("Adult Social Care", ["adult social care", "integration"]),
    ("Children's Services", ["children's services", "safeguarding"]),
    ("Public Health", ["public health", "health and wellbeing"]),
    ("Health and Wellbeing Boards", ["health and wellbeing", "integration"]),
    ("Early Help", ["early help", "troubled families"]),
    ("SEND", ["send", "children's services"]),
    ("Housing Strategy", ["housing"]),
    ("Homelessness Prevention", ["homelessness", "housing"]),
    ("Planning Policy", ["planning", "local plans"]),
    ("Neighbourhood Planning", ["neighbourhood planning", "planning"]),
    ("Regeneration", ["regeneration", "economic development"]),
    ("Town Centres", ["town centres", "regeneration"]),
    ("Flood Risk Management", ["flood risk", "climate adaptation"]),
    ("Climate Emergency", ["net zero", "climate adaptation"]),
    ("Waste and Recycling", ["waste and recycling"]),
    ("Highways Asset Management", ["highways", "asset management"]),
    ("Sustainable Transport", ["transport", "net zero"]),
    ("Community Safety Partnerships", ["community safety"]),
    ("Police and Crime Panels", ["police and crime panels", "scrutiny"]),
    ("Scrutiny", ["scrutiny", "governance"]),
    ("Audit Committees", ["audit", "governance"]),
    ("Local Government Finance", ["finance", "council tax", "business rates"]),
    ("Procurement", ["procurement", "social value"]),
    ("Commissioning", ["commissioning"]),
    ("Performance Management", ["performance", "benchmarking"]),
    ("LG Inform Users", ["benchmarking", "data"]),
    ("Data and Analytics", ["data", "performance"]),
    ("Digital Transformation", ["digital", "service design"]),
    ("Cyber Security", ["cyber security", "information governance"]),
    ("Information Governance", ["information governance"]),
    ("Workforce Development", ["workforce", "organisational development"]),
    ("Peer Challenge", ["peer challenge", "sector-led improvement"]),
    ("Sector-led Improvement", ["sector-led improvement", "peer challenge"]),
    ("Community Budgets", ["community budgets", "place-based working"]),
    ("Devolution Deals", ["devolution", "governance"]),
    ("Emergency Planning", ["emergency planning", "resilience"]),
    ("Libraries", ["libraries", "culture"]),
    ("Culture and Leisure", ["culture", "leisure"]),
    ("Parks and Green Spaces", ["parks"]),
    ("Licensing", ["licensing"]),
    ("Trading Standards", ["trading standards"]),
    ("Environmental Health", ["environmental health"]),
    ("Revenues and Benefits", ["revenues and benefits", "welfare reform"]),
    ("Equalities and Inclusion", ["equalities"]),
    ("Community Engagement", ["community engagement", "consultation"]),
    ("Council Communications", ["communications"]),
    ("Elections and Electoral Services", ["elections", "democratic services"]),
    ("Member Development", ["member development", "democratic services"]),
    ("Armed Forces Covenant", ["armed forces covenant"]),
    ("Asylum and Refugee Resettlement", ["asylum and refugees"]),
    ("Cost of Living", ["cost of living", "welfare reform"]),
    ("Social Value", ["social value", "procurement"]),
    ("Skills and Apprenticeships", ["skills", "apprenticeships"]),
    ("Domestic Abuse", ["domestic abuse", "safeguarding"]),
    ("Youth Services", ["youth services"]),
    ("Dementia Friendly Communities", ["dementia", "adult social care"]),
    ("Carers Support", ["carers", "adult social care"]),
    ("Mental Health", ["mental health", "public health"]),
    ("Tackling Loneliness", ["loneliness", "public health"]),
    ("Asset Management", ["asset management"]),
]

GROUP_PATTERNS = [
    "{subject} Network",
    "{subject} Community of Practice",
    "{region} {subject} Forum",
    "{subject} Leads",
    "{subject} Officers' Group",
    "Councillors' {subject} Network",
    "{subject} Peer Learning",
    "{region} {subject} Network",
    "{subject} Practitioners",
    "{subject} Improvement Programme",
    "{council} {subject} Project Team",
    "{subject} Benchmarking Club",
    "{subject} Special Interest Group",
]

THREAD_TITLES = [
    "How are others approaching {topic}?",
    "Peer challenge on {topic}: lessons learned",
    "Looking for examples of {topic} strategies",
    "{topic}: benchmarking data for {year}",
    "Anyone used an external review for {topic}?",
    "Sharing our {topic} action plan",
    "Question about {topic} and the new guidance",
    "Case study: {topic} at {council}",
    "{topic} funding: what has worked?",
    "Recruitment and retention in {topic}",
    "Consultation approaches for {topic}",
    "Member briefing on {topic}",
    "Measuring outcomes in {topic}",
    "{topic} and the cost of living",
    "Call for volunteers: {topic} peer team",
    "Draft terms of reference for the {topic} board",
]

OPENERS = [
    "We have just finished our peer challenge and the team's feedback on {topic} was useful.",
    "At {council} we are reviewing how we deliver {topic} over the next {n} years.",
    "Following the last network meeting I promised to share our approach to {topic}.",
    "Our scrutiny committee asked us to compare {topic} with our statistical neighbours.",
    "Has anyone redesigned {topic} around early intervention rather than crisis response?",
    "We are about to go out to consultation on {topic} and would welcome a critical friend.",
    "Since the flooding in {month} we have been rethinking {topic} with our partners.",
    "Our cabinet member has asked for evidence of what works in {topic}.",
    "I'd be grateful for examples of {topic} business cases that got through a budget round.",
    "We are pulling together a sector-led improvement offer on {topic} for the region.",
]

MIDDLES = [
    "The biggest change was moving to a single front door, which cut repeat contacts by {pct}%.",
    "We used LG Inform to benchmark against similar councils and found we were an outlier on cost.",
    "Our adult social care teams piloted strengths-based conversations in {n} localities.",
    "Housing and public health now share one commissioning plan, which helped with damp and mould.",
    "The peer team spent three days on site and interviewed {n} staff, partners and councillors.",
    "We co-produced the new offer with residents, which took longer but built real trust.",
    "The Environment Agency helped us map surface water flood risk street by street.",
    "Budget pressures mean we must save {pct}% in three years without cutting frontline capacity.",
    "We set up a data sharing agreement with the NHS so that discharge planning starts on day one.",
    "Our councillors found the member development sessions on {topic} the most valuable.",
    "The improvement plan has {n} actions, each with a named owner and a quarterly check-in.",
    "Agency staff costs fell by {pct}% once we introduced a regional memorandum of understanding.",
    "We moved the service onto a new case management system, which was harder than expected.",
    "Temporary accommodation placements are down by {pct}% since the prevention duty work began.",
    "A cross-party working group reviewed the evidence before cabinet took a decision.",
]

CLOSERS = [
    "Happy to share the report and the improvement plan if it would help anyone.",
    "I'll upload the template to the group library.",
    "Would anyone be willing to have a call to compare notes?",
    "Interested to hear what others have tried, especially in rural areas.",
    "Thanks in advance for any pointers.",
    "Do get in touch if you want to visit and see it working.",
    "We'll report back to the network after the next quarter's figures.",
    "Any thoughts on how to present this to members would be welcome.",
]

REPLIES = [
    "Thanks, this is really helpful.",
    "We had a very similar experience at {council}.",
    "Could you share the evaluation when it is published?",
    "We tried something like this in {year} and found the data sharing was the hardest part.",
    "Our peer challenge made the same recommendation on {topic}.",
    "Agree entirely: the relationship with the NHS made the difference for us.",
    "Have you looked at the LGA's guidance on {topic}? It covers the governance side well.",
    "Happy to talk this through; drop me a message.",
    "We are about six months behind you, so this is very timely.",
    "One thing I'd add: involve scrutiny early, not at the end.",
]

SESSION_TITLES = [
    "Ask the {topic} project team",
    "{topic}: live Q&A with {council}",
    "Lessons from our {topic} peer challenge",
    "Open session on {topic} and the new guidance",
    "{topic} in {year}: what is working",
    "Meet the panel: {topic} funding",
]

LIVE_QUESTIONS = [
    "How did you get members on board with {topic}?",
    "What would you do differently if you started {topic} again?",
    "How are you measuring outcomes in {topic}?",
    "Did the budget for {topic} come from reserves or the base budget?",
    "How did you involve residents in {topic}?",
    "What data do you share with health partners on {topic}?",
    "How long did the {topic} procurement take?",
    "Is there a template for the {topic} business case we could see?",
    "How did scrutiny respond to the {topic} proposals?",
    "What was the hardest part of {topic} for your staff?",
    "Have you linked {topic} to {topic2}?",
    "How many FTE does the {topic} team have?",
]

LIVE_ANSWERS = [
    "Good question: we started small, with one ward, and grew it once we had data.",
    "Through the base budget, after a one-off invest-to-save bid in {year}.",
    "We share the evaluation framework; I will post it in the group library after this.",
    "Honestly, the culture change took longer than the systems change.",
    "We worked with {council}, who had done it a year earlier; their advice saved months.",
    "About {n} people, with support from finance and HR.",
    "Scrutiny asked for quarterly reports; that kept us honest.",
]

MESSAGES = [
    "Hi {name}, could you share the {topic} template you mentioned?",
    "Thanks for the call earlier, I'll send over the benchmarking data for {topic}.",
    "Are you going to the LGA conference this year?",
    "Would you be free to join our peer challenge team on {topic} in {month}?",
    "Great to meet you at the regional network meeting.",
    "I've put the report in the group library now.",
    "Do you have a contact in your {topic} team I could speak to?",
    "Quick question about your {topic} business case: how did you cost the savings?",
    "Happy to help. Let's find a time next week.",
    "Thanks, that's really useful. I'll share it with our cabinet member.",
]

BIOS = [
    "{title} at {organisation}. Happy to share what has worked for us.",
    "{title} at {organisation}, interested in {topic} and {topic2}.",
    "I work on {topic} at {organisation} and have been part of several peer challenges.",
    "{title}. Previously worked in {topic2}. Always keen to learn from other councils.",
    "Elected member at {organisation} with a particular interest in {topic}.",
]

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

SUGGESTION_TITLES = [
    "Create a shared {topic} template for all councils",
    "Run a regional peer review of {topic}",
    "Set up a {topic} mentoring scheme for new officers",
    "Publish quarterly {topic} benchmarks",
    "Hold an online hotseat on {topic} with the LGA",
    "Start a {topic} councillors' briefing pack",
    "Pool training budgets for {topic}",
    "Map who is doing what on {topic} across the region",
    "Agree common performance measures for {topic}",
    "Share job descriptions for {topic} roles",
    "Collect case studies of {topic} that saved money",
    "Invite the NHS to the {topic} network",
]
