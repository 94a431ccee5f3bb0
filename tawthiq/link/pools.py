"""Name and place pools for the synthetic victim-list generator (:mod:`tawthiq.link.synth`).

Each entry is ``Arabic|Latin`` (the Latin in one common spelling); frequent names come first, because the generator
draws them with Zipf-like weights. Irregular spellings that no rule produces are listed in :data:`EXTRA_SPELLINGS`.
These pools were written for this project; they are common Levantine names, not records of anyone.
"""

from __future__ import annotations

MALE_GIVEN = """
محمد|Mohammed أحمد|Ahmad علي|Ali محمود|Mahmoud حسن|Hassan حسين|Hussein خالد|Khaled عمر|Omar إبراهيم|Ibrahim
يوسف|Yousef عبد الله|Abdullah مصطفى|Mustafa عبد الرحمن|Abd al-Rahman سليمان|Suleiman إسماعيل|Ismail عيسى|Issa
علاء|Alaa سامر|Samer فادي|Fadi رامي|Rami باسل|Basel ماهر|Maher وليد|Walid جمال|Jamal كمال|Kamal نبيل|Nabil
سمير|Samir أيمن|Ayman أنس|Anas بلال|Bilal حمزة|Hamza طارق|Tareq زياد|Ziad رياض|Riyad عماد|Imad غسان|Ghassan
جهاد|Jihad هيثم|Haitham منير|Munir ناصر|Nasser نزار|Nizar هشام|Hisham وسيم|Wassim يحيى|Yahya زكريا|Zakaria
قاسم|Qassem جميل|Jamil شادي|Shadi حازم|Hazem فراس|Firas مازن|Mazen عدنان|Adnan صالح|Saleh سعيد|Said
عبد الكريم|Abd al-Karim عبد القادر|Abd al-Qader عبد الحميد|Abd al-Hamid عبد العزيز|Abd al-Aziz عبد الرزاق|Abd al-Razzaq
نور الدين|Nour al-Din صلاح الدين|Salah al-Din عز الدين|Izz al-Din بدر الدين|Badr al-Din خير الدين|Khair al-Din
أبو بكر|Abu Bakr عثمان|Othman جعفر|Jaafar موسى|Musa داود|Dawoud هارون|Haroun عادل|Adel فيصل|Faisal منذر|Munzer
حيدر|Haidar عباس|Abbas كنان|Kinan ربيع|Rabie شريف|Sharif توفيق|Tawfiq رضوان|Radwan
غياث|Ghiath معاذ|Muaz همام|Hammam مهند|Muhannad مؤيد|Muayyad ثائر|Thaer بشار|Bashar حافظ|Hafez نادر|Nader
أسامة|Osama لؤي|Louay قصي|Qusai أمجد|Amjad مجد|Majd رائد|Raed زهير|Zuhair فواز|Fawaz نضال|Nidal مروان|Marwan
عمار|Ammar ياسر|Yasser منصور|Mansour مالك|Malek صبحي|Subhi فايز|Fayez حمدي|Hamdi رفعت|Rifaat سهيل|Suhail
حسان|Hassan جودت|Jawdat نعيم|Naim عصام|Issam ضياء|Diaa إياد|Iyad أكرم|Akram كريم|Karim سلمان|Salman ميلاد|Milad
"""

FEMALE_GIVEN = """
فاطمة|Fatima مريم|Maryam زينب|Zainab خديجة|Khadija عائشة|Aisha آمنة|Amina نور|Nour هدى|Huda رنا|Rana سارة|Sara
ليلى|Layla سلمى|Salma رغد|Raghad هبة|Hiba إيمان|Iman سعاد|Suad نجاح|Najah وفاء|Wafaa رشا|Rasha ريم|Reem
ياسمين|Yasmin لينا|Lina دعاء|Duaa سوسن|Sawsan غادة|Ghada منى|Mona سميرة|Samira جميلة|Jamila نادية|Nadia حلا|Hala
رهف|Rahaf بتول|Batoul شهد|Shahd جنى|Jana مايا|Maya لمى|Lama ميس|Mais علا|Ola أمل|Amal هيفاء|Haifa
رقية|Ruqayya سكينة|Sukaina زهراء|Zahraa ملك|Malak بشرى|Bushra نسرين|Nisreen صفاء|Safaa عبير|Abeer سناء|Sanaa
"""

FAMILY = """
الأحمد|al-Ahmad العلي|al-Ali الحسن|al-Hassan الحسين|al-Hussein الخليل|al-Khalil المحمد|al-Mohammad العمر|al-Omar
العبد الله|al-Abdullah الإبراهيم|al-Ibrahim العيسى|al-Issa الصالح|al-Saleh الحمود|al-Hamoud الخطيب|al-Khatib
المصري|al-Masri الحلبي|al-Halabi الحموي|al-Hamwi الحمصي|al-Homsi الشامي|al-Shami الأسود|al-Aswad الحداد|al-Haddad
النجار|al-Najjar الصباغ|al-Sabbagh الحلاق|al-Hallaq العطار|al-Attar قاسم|Qassem درويش|Darwish عثمان|Othman
يوسف|Youssef سليمان|Suleiman مخلوف|Makhlouf شعبان|Shaaban إسماعيل|Ismail حيدر|Haidar عباس|Abbas جابر|Jaber
محمود|Mahmoud خليل|Khalil ديب|Deeb حبيب|Habib نصور|Nassour ونوس|Wannous بركات|Barakat حسون|Hassoun عيسى|Issa
الضاهر|al-Daher الزعبي|al-Zoubi المقداد|al-Miqdad الحريري|al-Hariri الرفاعي|al-Rifai الكردي|al-Kurdi
التركماني|al-Turkmani البيطار|al-Bitar الدباغ|al-Dabbagh الخياط|al-Khayyat السقا|al-Saqqa الطحان|al-Tahhan
شحادة|Shehadeh عبود|Abboud رزق|Rizk سلوم|Salloum غانم|Ghanem حمدان|Hamdan زيدان|Zaidan عمران|Imran نعمان|Numan
الشيخ|al-Sheikh الملا|al-Mulla الحاج|al-Hajj القاضي|al-Qadi الإمام|al-Imam السيد|al-Sayyid المفتي|al-Mufti
بدور|Baddour معروف|Maarouf سعود|Saoud ناصيف|Nassif صقر|Saqr نمر|Nimr ذيب|Dheeb فارس|Fares ضاهر|Daher
سلامة|Salameh عواد|Awwad حمادة|Hamadeh مرعي|Marai كنعان|Kanaan منصور|Mansour جبور|Jabbour دياب|Diab
الجاسم|al-Jassem الحمد|al-Hamad العبيد|al-Obeid الدرويش|al-Darwish الخضر|al-Khidr الموسى|al-Musa الرحال|al-Rahhal
الشيخ علي|al-Sheikh Ali أبو زيد|Abu Zeid أبو علي|Abu Ali أبو حسن|Abu Hassan أبو سعدة|Abu Saada أبو شعر|Abu Shaar
الدندشي|al-Dandashi الأتاسي|al-Atassi الجندي|al-Jundi الكيالي|al-Kayyali الطيار|al-Tayyar الزين|al-Zein
إدريس|Idris رستم|Rustom سرحان|Sarhan شاهين|Shahin عزام|Azzam عيد|Eid غزال|Ghazal فرحات|Farhat قبلان|Qablan
كحيل|Kahil لطفي|Lutfi مراد|Murad ميهوب|Mayhoub ناعسة|Naasa هلال|Hilal وهبة|Wahba يونس|Younes بلال|Bilal
"""

#: Spellings of frequent names that no rule in the generator makes (they are seen on real lists).
EXTRA_SPELLINGS: dict[str, list[str]] = {
    "Mohammed": ["Muhammad", "Mohamad", "Mohamed", "Mohammad", "Muhammed", "Mhd", "Mohmmad"],
    "Ahmad": ["Ahmed", "Ahmet"],
    "Mahmoud": ["Mahmud", "Mahmood"],
    "Hussein": ["Husayn", "Hussain", "Husein", "Hussien"],
    "Abd al-Rahman": ["Abdulrahman", "Abdel Rahman", "Abdurrahman", "Abdelrahman", "Abd Alrahman"],
    "Abdullah": ["Abdallah", "Abd Allah", "Abdulla"],
    "Yousef": ["Yusuf", "Youssef", "Yousif", "Yusef"],
    "Omar": ["Umar", "Omer"],
    "Othman": ["Osman", "Uthman"],
    "Qassem": ["Kassem", "Qasim", "Assem", "Gassem"],
    "Tareq": ["Tarek", "Tariq"],
    "Khaled": ["Khalid", "Khaleed"],
    "Fatima": ["Fatmeh", "Fatimah", "Fatme"],
    "Aisha": ["Aicha", "Ayesha", "Aysha"],
    "Nour al-Din": ["Nureddin", "Nour Eddine", "Nuraldin", "Noureddine"],
    "Shadi": ["Chadi"],
    "Munzer": ["Mundhir", "Monzer"],
    "Thaer": ["Thaier", "Saer"],
    "Haitham": ["Haytham", "Heitham"],
}

#: Governorate → district → villages (Arabic|Latin). A simple hierarchy for the generator only; real imports resolve
#: places through the gazetteer or a places file.
PLACES: dict[str, dict[str, list[str]]] = {
    "اللاذقية|Latakia": {
        "جبلة|Jableh": [
            "الحميدية|al-Hamidiyah",
            "الدالية|al-Daliyah",
            "بستان الباشا|Bustan al-Basha",
            "عين الشرقية|Ain al-Sharqiyah",
            "الرميلة|al-Rumaylah",
        ],
        "القرداحة|Qardaha": [
            "بيت ياشوط|Beit Yashout",
            "حرف المسيترة|Harf al-Musaytirah",
            "الشلفاطية|al-Shalfatiyah",
            "دير حنا|Deir Hanna",
        ],
        "الحفة|al-Haffah": [
            "المختارية|al-Mukhtariyah",
            "صلنفة|Slinfah",
            "بيت الشكوحي|Beit al-Shakuhi",
            "مزرعة الحفة|Mazraat al-Haffah",
        ],
        "اللاذقية|Latakia City": [
            "الرمل الجنوبي|al-Raml al-Janoubi",
            "الدعتور|al-Daatour",
            "سقوبين|Sqoubin",
            "بسنادا|Basnada",
        ],
    },
    "طرطوس|Tartus": {
        "بانياس|Baniyas": [
            "القصور|al-Qusour",
            "حي القصور|Hay al-Qusour",
            "البيضا|al-Bayda",
            "بارمايا|Barmaya",
            "المرقب|al-Marqab",
            "القرير|al-Qurayr",
        ],
        "صافيتا|Safita": [
            "مشتى الحلو|Mashta al-Helu",
            "بيت الشيخ يونس|Beit al-Sheikh Younes",
            "تل كلخ الصغرى|Tell Kalakh al-Sughra",
        ],
        "الدريكيش|Dreikish": ["جنينة رسلان|Jneinet Raslan", "دوير رسلان|Dweir Raslan", "حمام واصل|Hammam Wasel"],
        "طرطوس|Tartus City": ["الكرامة|al-Karamah", "الرمل|al-Raml", "عرب الملك|Arab al-Malik"],
    },
    "حماة|Hama": {
        "مصياف|Masyaf": ["الرصافة|al-Rusafa", "عين حلاقيم|Ain Halaqim", "دير ماما|Deir Mama", "البيضة|al-Baydah"],
        "السلمية|Salamiyah": ["تل الدرة|Tell al-Durra", "صبورة|Sabboura", "الكافات|al-Kafat"],
        "السقيلبية|al-Suqaylabiyah": ["قلعة المضيق|Qalaat al-Madiq", "عين الكروم|Ain al-Kurum", "تل سكين|Tell Sikkin"],
        "محردة|Muhradah": ["كفر بهم|Kafr Buhum", "حلفايا|Halfaya", "طيبة الإمام|Taibat al-Imam"],
    },
    "حمص|Homs": {
        "الرستن|al-Rastan": ["تلبيسة|Talbiseh", "الغنطو|al-Ghanto", "تير معلة|Tir Maala"],
        "تلكلخ|Talkalakh": ["الزارة|al-Zara", "الحصن|al-Husn", "عناز|Anaz"],
        "القصير|al-Qusayr": ["الجوسية|al-Jousiyah", "ربلة|Rableh", "الضبعة|al-Dabaa"],
        "حمص|Homs City": [
            "بابا عمرو|Baba Amr",
            "الخالدية|al-Khalidiyah",
            "كرم الزيتون|Karm al-Zaytoun",
            "الوعر|al-Waer",
        ],
    },
    "إدلب|Idlib": {
        "أريحا|Ariha": ["محمبل|Muhambal", "أورم الجوز|Urum al-Joz", "كفر لاتا|Kafr Lata"],
        "جسر الشغور|Jisr al-Shughur": ["دركوش|Darkoush", "الجانودية|al-Janoudiyah", "بداما|Bdama"],
        "معرة النعمان|Maarat al-Numan": ["كفرنبل|Kafranbel", "حاس|Has", "تلمنس|Talmenes"],
    },
    "ريف دمشق|Rif Dimashq": {
        "دوما|Douma": ["حرستا|Harasta", "عربين|Arbin", "زملكا|Zamalka", "عين ترما|Ain Tarma"],
        "داريا|Darayya": ["المعضمية|al-Muadamiyah", "صحنايا|Sahnaya", "جديدة عرطوز|Jdeidet Artouz"],
        "الزبداني|al-Zabadani": ["مضايا|Madaya", "بقين|Buqayn", "سرغايا|Sarghaya"],
    },
}
