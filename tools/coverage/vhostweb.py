T = "§ (Thai preamble)"
U = "§ VhostWeb Standard (Included Free) - 99.9% Uptime SLA"
DD = "§ Definition of Downtime"
IN = "§ Incident notification and response"
BK = "§ Backups"
RF = "§ Refunds"
PR = "§ Privacy Policy"
HO = "§ Hours of Operation"
SPEC = dict(
    provider="VhostWeb", seed="004", seedfile="004_494b540e8242e4a5.txt", contract="vhostweb",
    intro="Web hosting in Thailand: 99.9% monthly uptime with a five-row credit table, downtime conditions and exclusions (maintenance outside office hours up to 8 h a month), the downtime clock, incident channels, backups, refunds with their deadlines, privacy, and office hours excluding Thai bank holidays.",
    rows=[
        ("Title **Web Hosting Service Level Agreement (SLA)**", '§ title — "Web Hosting Service Level Agreement (SLA)"', "title \"Web Hosting", "prose"),
        ("Agreement between **Code Orange** Co., Ltd. and its hosting customers; the provider may **change** the document and publishes it on its website", f'{T} — "บริษัท โค้ด ออเรนจ์ จำกัด"', "scope \"An agreement", "prose"),
        ("**VhostWeb Standard** is included free with a **99.9%** uptime SLA", f'{U} — "VhostWeb Standard (Included Free) - 99.9% Uptime SLA"', ["plan Standard", "feature \"VhostWeb Standard"], "prose"),
        ("Uptime below **99.9%** per **month** means the SLA is not fulfilled", f'{U} — "Less than 99.9% uptime per month means the SLA has not been fulfilled"', "availability 99.9% per month", "computable"),
        ("**Uptime** is the time with no downtime, calculated **monthly**", f'{U} — "Uptime is the time in which there is no downtime"', "definition \"Uptime\"", "prose"),
        ("Credit **99.0%..99.9%** -> **5%** of the monthly fee", f'{U} — "Availability 99.0% - 99.9%: 5% of monthly fee"', "99.0%..99.9% -> 5%", "computable"),
        ("Credit **98.0%..98.9%** -> **10%**", f'{U} — "Availability 98.0% - 98.9%: 10% of the monthly fee"', "98.0%..98.9% -> 10%", "computable"),
        ("Credit **95.0%..97.9%** -> **15%**", f'{U} — "Availability 95.0% - 97.9%: 15% of the monthly fee"', "95.0%..97.9% -> 15%", "computable"),
        ("Credit **90.0%..94.9%** -> **25%**", f'{U} — "Availability 90.0% - 94.9%: 25% of the monthly fee"', "90.0%..94.9% -> 25%", "computable"),
        ("Credit **89.9%** or below -> **30%**", f'{U} — "Availability 89.9% or below: 30% of monthly fee"', "..89.9% -> 30%", "computable"),
        ("Credits are a share of the **monthly fee**, on request (**restitution**)", f'{U} — "the customer can request for restitution of the monthly costs"', "credit tiers of monthly fee", "computable"),
        ("Credit deducted from the service charge in the **next billing cycle**", f'{U} — "The credit will be deducted from the service charge in the next billing cycle"', "claim \"Request restitution", "prose"),
        ("Uptime between printed rows goes to the **customer**", f'{U} — "Availability 99.0% - 99.9%"', "gaps favour customer", "computable"),
        ("Downtime: **port 80** cannot be opened to the web server", f'{DD} — "It is not possible to open a connection via port 80"', "port 80", "prose"),
        ("Downtime: files cannot be read from the **filesystem**", f'{DD} — "Files can not be read from the filesystem by the webserver"', "filesystem", "prose"),
        ("Downtime: **database** not functioning with a **valid login**", f'{DD} — "It is not possible to connect to the database server using a valid login combination"', "valid login", "prose"),
        ("Not downtime: power or network failure, **DDoS**, natural disasters, riots, **force majeure**", f'{DD} — "Power failure, network failure, attacks such as DDoS"', "exclude \"Power failure", "prose"),
        ("Not downtime: **maintenance** outside **office** hours, up to **8h** per month", f'{DD} — "Maintenance, as long as this is done outside office hours and less than 8 hours per month"', "maintenance up to 8h", "computable"),
        ("Not downtime: **urgent maintenance** for stability or safety", f'{DD} — "Urgent maintenance required for the stability or safety of our environment"', "exclude \"Urgent maintenance", "prose"),
        ("The customer **reports** incidents through the **proper channel**", f'{IN} — "the customer has to report this to VhostWeb via the proper communication channel"', "obligation \"The customer reports", "prose"),
        ("Downtime starts at the customer's **report** or VhostWeb's **detection** (the earlier)", f'{IN} — "Downtime starts from the moment the customer reports the incident"', "downtime starts at", "computable"),
        ("Proper channel in office hours: the **office phone**", f'{IN} — "Our office phone number during office hours"', "channel \"Office phone\"", "computable"),
        ("Proper channel outside office hours: the **urgent phone**", f'{IN} — "The urgent phone number listed outside office hours"', "channel \"Urgent phone\"", "computable"),
        ("All support options are in the **Support Options** document and website", f'{IN} — "You can find all support options in our Support Options document"', "note \"All support options", "prose"),
        ("**Third-party monitoring** detects network and server failures (no interval stated)", f'{IN} — "VhostWeb employs a third party monitoring system"', "note \"VhostWeb employs", "prose"),
        ("Advice: always have **your own backups**", f'{BK} — "It\'s a common practice to always have your own backups"', "note \"It is a common practice", "prose"),
        ("VPS/Cloud/Server: daily snapshots (**every 1 day**) for restores after server failures, not for individual files", f'{BK} — "We make daily snapshots to restore in case of server failures"', "commit \"Snapshot of VPS", "computable"),
        ("Shared hosting: daily snapshots (**every 1 day**) for restores after server failures", f'{BK} — "Shared Hosting:"', "commit \"Snapshot of shared", "computable"),
        ("With **Plesk**, keep backups **ON** to restore individual files", f'{BK} — "If you have Plesk control panel, make sure backups are ON"', "note \"With the Plesk", "prose"),
        ("No **trial period**", f'{RF} — "We do not offer a trial period"', "policy \"No trial", "prose"),
        ("Refund Request Form within **30 days** after **purchase**", f'{RF} — "fill out our Refund Request Form within 30 days after purchase"', "deadline \"Submit the Refund", "computable"),
        ("Refund request decided (honoured, in part, denied) within **21 days**", f'{RF} — "This can take up to 21 days depending on the case"', "commit \"Decide the refund", "computable"),
        ("Allow **14 days** bank processing (usually faster, **best-effort**)", f'{RF} — "please allow for 14 days bank processing time"', "commit \"Bank processing", "computable"),
        ("Never refunded: **set-up costs**", f'{RF} — "Set-up costs"', "exclude \"Set-up", "prose"),
        ("Never refunded: **administrative costs**", f'{RF} — "Administrative costs"', "exclude \"Administrative", "prose"),
        ("Never refunded: **domain registration**", f'{RF} — "Domain registration"', "exclude \"Domain", "prose"),
        ("Never refunded: **VPS, Cloud Server, Dedicated Server**", f'{RF} — "VPS, Cloud Server, Dedicated Server"', "exclude \"VPS, Cloud", "prose"),
        ("Never refunded: **custom web development**, programming, design", f'{RF} — "Custom web development, Programming service, Design service etc."', "exclude \"Custom web", "prose"),
        ("Never refunded: **SSL certificates** after issuing", f'{RF} — "SSL certificates after issuing"', "exclude \"SSL", "prose"),
        ("Privacy: **personally identifiable information**, cookies, **server logs**; information never **sold**", f'{PR} — "We will not sell your personally identifiable information to anyone"', "section Privacy", "prose"),
        ("Systems monitored **24x7x365**; action taken when servers are down", f'{HO} — "We monitor our systems 24x7x365"', "policy \"Systems are monitored", "prose"),
        ("Phone answered Mon-Fri **09:00-18:00**", f'{HO} — "Working days Monday - Friday* 9:00 - 18:00"', ["calendar office", "note \"Phone answered"], "computable"),
        ("Excluding Thai **holidays** published by the **Bank of Thailand**", f'{HO} — "Excluding Thai holidays as published by Bank of Thailand"', ["calendar office", "note \"Phone answered"], "computable"),
        ("Outside these hours: **emergencies only**", f'{HO} — "Outside these hours we can be reached for emergencies only"', ["channel \"Urgent phone\"", "note \"Phone answered"], "prose"),
    ],
    warnings="""
- None is raised on purpose. The credit table starts at the uptime target (99.9%), so W401 should not fire; the printed gaps (99.95% is above the target; 98.95% lies between rows) are governed by `gaps favour customer`, so E402 should not fire either.
- The checker raises no diagnostic on this contract today (asserted in `tests/test_seed_facts.py`); W303 would be expected only for dates after 2035 on `office`.
""",
    not_commitments="""
- "🚀 7.7 PROMO VPS 25% off Shared 25% off / New orders 1st billing period. / Offer expires July 31.": a marketing banner above the document, not part of the SLA.
- The Thai preamble is carried by the scope line (row 2) in English.
""",
    gaps="""
- "Outside office hours" for maintenance uses the office calendar, which excludes Thai holidays: maintenance on a holiday counts as outside office hours. The seed does not say otherwise.
- The monitoring system's interval is not stated, so no `monitor every` statement can be written (note only).
- Which billing cycle the credit lands in ("the next billing cycle") is prose.
""",
)
