/**
 * The column names contact CSV exporters write, per field. Outlook's classic export names its
 * columns in the language of the Outlook that wrote it; the words below are those exports' names:
 *  - English: Microsoft's "Create or edit .csv files to import into Outlook" (support.microsoft.com,
 *    article 4518d70d-8fe9-46ad-94fa-1494247193c7), whose sample file is classic Outlook's export header.
 *  - German and French: the per-language dictionary Exchange uses to import Outlook CSV files
 *    (Microsoft.Exchange.Transport.Sync.Common.ImportContacts.OutlookCsvLanguageSelect, de-DE and fr-FR).
 *  - Spanish, Italian and Dutch: Outlook's field names as its Spanish, Italian and Dutch editions
 *    show them on the contact form and in the export (written from those editions' wording; not
 *    checked against an export file here — the README says so).
 *  - Outlook.com / new Outlook: the header of outlook.live.com's People → Manage → Export contacts.
 *  - Google Contacts: contacts.google.com → Export → "Google CSV" (today's "… - Label"/"… - Value"
 *    columns; older exports "… - Type" and "Name","Given Name","Family Name").
 * Matching ignores case, spaces around and non-breaking spaces.
 */
export type CsvField =
  | 'title' | 'first' | 'middle' | 'last' | 'suffix' | 'nickname' | 'fullName' | 'givenYomi' | 'surnameYomi' | 'companyYomi'
  | 'company' | 'department' | 'jobTitle' | 'office' | 'profession' | 'manager' | 'assistant' | 'spouse' | 'children'
  | 'email1' | 'email2' | 'email3' | 'im'
  | 'businessPhone' | 'businessPhone2' | 'homePhone' | 'homePhone2' | 'mobilePhone' | 'carPhone' | 'otherPhone' | 'primaryPhone' | 'pager'
  | 'businessFax' | 'homeFax' | 'otherFax' | 'companyMainPhone' | 'assistantPhone' | 'callback' | 'radioPhone' | 'telex' | 'ttyPhone' | 'isdn'
  | 'businessStreet' | 'businessStreet2' | 'businessStreet3' | 'businessPoBox' | 'businessCity' | 'businessState' | 'businessPostalCode' | 'businessCountry'
  | 'homeStreet' | 'homeStreet2' | 'homeStreet3' | 'homePoBox' | 'homeCity' | 'homeState' | 'homePostalCode' | 'homeCountry'
  | 'otherStreet' | 'otherStreet2' | 'otherStreet3' | 'otherPoBox' | 'otherCity' | 'otherState' | 'otherPostalCode' | 'otherCountry'
  | 'birthday' | 'anniversary' | 'notes' | 'categories' | 'webPage' | 'personalWebPage' | 'gender'
  /** Columns that describe the export, not the person (Outlook writes "Normal", "False", "SMTP" into them). */
  | 'ignored';

export type CsvLanguage = 'English' | 'German' | 'French' | 'Spanish' | 'Italian' | 'Dutch';

type Names = Partial<Record<CsvField, string[]>>;

const ENGLISH: Names = {
  title: ['Title'], first: ['First Name'], middle: ['Middle Name'], last: ['Last Name'], suffix: ['Suffix'], nickname: ['Nickname'],
  givenYomi: ['Given Yomi'], surnameYomi: ['Surname Yomi'], companyYomi: ['Company Yomi'],
  company: ['Company'], department: ['Department'], jobTitle: ['Job Title'], office: ['Office Location'], profession: ['Profession'],
  manager: ["Manager's Name"], assistant: ["Assistant's Name"], spouse: ['Spouse'], children: ['Children'],
  email1: ['E-mail Address'], email2: ['E-mail 2 Address'], email3: ['E-mail 3 Address'], im: ['IMAddress'],
  businessPhone: ['Business Phone'], businessPhone2: ['Business Phone 2'], homePhone: ['Home Phone'], homePhone2: ['Home Phone 2'], mobilePhone: ['Mobile Phone'],
  carPhone: ['Car Phone'], otherPhone: ['Other Phone'], primaryPhone: ['Primary Phone'], pager: ['Pager'], businessFax: ['Business Fax'], homeFax: ['Home Fax'],
  otherFax: ['Other Fax'], companyMainPhone: ['Company Main Phone'], assistantPhone: ["Assistant's Phone"], callback: ['Callback'], radioPhone: ['Radio Phone'],
  telex: ['Telex'], ttyPhone: ['TTY/TDD Phone'], isdn: ['ISDN'],
  businessStreet: ['Business Street'], businessStreet2: ['Business Street 2'], businessStreet3: ['Business Street 3'], businessPoBox: ['Business Address PO Box', 'Business P.O. Box'],
  businessCity: ['Business City'], businessState: ['Business State'], businessPostalCode: ['Business Postal Code'], businessCountry: ['Business Country/Region', 'Business Country'],
  homeStreet: ['Home Street'], homeStreet2: ['Home Street 2'], homeStreet3: ['Home Street 3'], homePoBox: ['Home Address PO Box', 'Home P.O. Box'], homeCity: ['Home City'], homeState: ['Home State'],
  homePostalCode: ['Home Postal Code'], homeCountry: ['Home Country/Region', 'Home Country'],
  otherStreet: ['Other Street'], otherStreet2: ['Other Street 2'], otherStreet3: ['Other Street 3'], otherPoBox: ['Other Address PO Box', 'Other P.O. Box'], otherCity: ['Other City'], otherState: ['Other State'],
  otherPostalCode: ['Other Postal Code'], otherCountry: ['Other Country/Region', 'Other Country'],
  birthday: ['Birthday'], anniversary: ['Anniversary'], notes: ['Notes'], categories: ['Categories'], webPage: ['Web Page'], personalWebPage: ['Personal Web Page'], gender: ['Gender'],
  ignored: ['E-mail Type', 'E-mail Display Name', 'E-mail 2 Type', 'E-mail 2 Display Name', 'E-mail 3 Type', 'E-mail 3 Display Name', 'Priority', 'Private', 'Sensitivity', 'Initials', 'Internet Free Busy'],
};

const GERMAN: Names = {
  title: ['Anrede'], first: ['Vorname'], middle: ['Weitere Vornamen'], last: ['Nachname'], suffix: ['Suffix'], nickname: ['Spitzname'],
  givenYomi: ['Vorname Yomi'], surnameYomi: ['Nachname Yomi'], companyYomi: ['Firma Yomi'],
  company: ['Firma'], department: ['Abteilung'], jobTitle: ['Position'], office: ['Büro'], profession: ['Beruf'],
  manager: ['Name des/der Vorgesetzten'], assistant: ['Name Assistent'], spouse: ['Partner'], children: ['Kinder'],
  email1: ['E-Mail-Adresse'], email2: ['E-Mail 2: Adresse'], email3: ['E-Mail 3: Adresse'],
  businessPhone: ['Telefon geschäftlich'], businessPhone2: ['Telefon geschäftlich 2'], homePhone: ['Telefon privat'], homePhone2: ['Telefon privat 2'], mobilePhone: ['Mobiltelefon'],
  carPhone: ['Autotelefon'], otherPhone: ['Weiteres Telefon'], primaryPhone: ['Haupttelefon'], pager: ['Pager'], businessFax: ['Fax geschäftlich'], homeFax: ['Fax privat'],
  otherFax: ['Weiteres Fax'], companyMainPhone: ['Telefon Firma'], assistantPhone: ['Telefon Assistent'], callback: ['Rückmeldung'], radioPhone: ['Mobiltelefon 2'],
  telex: ['Telex'], ttyPhone: ['Telefon für Hörbehinderte'], isdn: ['ISDN'],
  businessStreet: ['Straße geschäftlich'], businessStreet2: ['Straße geschäftlich 2'], businessStreet3: ['Straße geschäftlich 3'], businessPoBox: ['Postfach geschäftlich'],
  businessCity: ['Ort geschäftlich'], businessState: ['Region geschäftlich'], businessPostalCode: ['Postleitzahl geschäftlich'], businessCountry: ['Land/Region geschäftlich'],
  homeStreet: ['Straße privat'], homeStreet2: ['Straße privat 2'], homeStreet3: ['Straße privat 3'], homePoBox: ['Postfach privat'], homeCity: ['Ort privat'],
  homeState: ['Bundesland/Kanton privat'], homePostalCode: ['Postleitzahl privat'], homeCountry: ['Land/Region privat'],
  otherStreet: ['Weitere Straße'], otherStreet2: ['Weitere Straße 2'], otherStreet3: ['Weitere Straße 3'], otherPoBox: ['Weiteres Postfach'], otherCity: ['Weiterer Ort'],
  otherState: ['Weiteres/r Bundesland/Kanton'], otherPostalCode: ['Weitere Postleitzahl'], otherCountry: ['Weiteres/e Land/Region'],
  birthday: ['Geburtstag'], anniversary: ['Jahrestag'], notes: ['Notizen'], categories: ['Kategorien'], webPage: ['Webseite'], gender: ['Geschlecht'],
  ignored: ['E-Mail-Typ', 'E-Mail: Angezeigter Name', 'E-Mail 2: Typ', 'E-Mail 2: Angezeigter Name', 'E-Mail 3: Typ', 'E-Mail 3: Angezeigter Name', 'Priorität', 'Privat', 'Vertraulichkeit', 'Initialen', 'Internet-Frei/Gebucht'],
};

const FRENCH: Names = {
  title: ['Titre'], first: ['Prénom'], middle: ['Deuxième prénom'], last: ['Nom'], suffix: ['Suffixe'], nickname: ['Surnom'],
  givenYomi: ['Prénom Yomi'], surnameYomi: ['Nom Yomi'], companyYomi: ['Société Yomi'],
  company: ['Société'], department: ['Service'], jobTitle: ['Fonction'], office: ['Bureau'], profession: ['Profession'],
  manager: ['Responsable'], assistant: ["Nom de l'assistant(e)"], spouse: ['Conjoint(e)'], children: ['Enfants'],
  email1: ['Adresse de messagerie'], email2: ['Adresse de messagerie 2'], email3: ['Adresse de messagerie 3'],
  businessPhone: ['Téléphone (bureau)'], businessPhone2: ['Téléphone 2 (bureau)'], homePhone: ['Téléphone (domicile)'], homePhone2: ['Téléphone 2 (domicile)'], mobilePhone: ['Tél. mobile'],
  carPhone: ['Téléphone (voiture)'], otherPhone: ['Téléphone (autre)'], primaryPhone: ['Téléphone principal'], pager: ['Récepteur de radiomessagerie'],
  businessFax: ['Télécopie (bureau)'], homeFax: ['Télécopie (domicile)'], otherFax: ['Télécopie (autre)'], companyMainPhone: ['Téléphone société'],
  assistantPhone: ["Téléphone de l'assistant(e)"], callback: ['Rappel'], radioPhone: ['Radio téléphone'], telex: ['Télex'], ttyPhone: ['Téléphone TDD/TTY'], isdn: ['RNIS'],
  businessStreet: ['Rue (bureau)'], businessStreet2: ['Rue (bureau) 2'], businessStreet3: ['Rue (bureau) 3'], businessPoBox: ['B.P. professionnelle'],
  businessCity: ['Ville (bureau)'], businessState: ['Dép/Région (bureau)'], businessPostalCode: ['Code postal (bureau)'], businessCountry: ['Pays/Région (bureau)'],
  homeStreet: ['Rue (domicile)'], homeStreet2: ['Rue (domicile) 2'], homeStreet3: ['Rue (domicile) 3'], homePoBox: ['Boîte postale du domicile'], homeCity: ['Ville (domicile)'],
  homeState: ['Dép/Région (domicile)'], homePostalCode: ['Code postal (domicile)'], homeCountry: ['Pays/Région (domicile)'],
  otherStreet: ['Rue (autre)'], otherStreet2: ['Rue (autre) 2'], otherStreet3: ['Rue (autre) 3'], otherPoBox: ['Autre boîte postale'], otherCity: ['Ville (autre)'],
  otherState: ['Dép/Région (autre)'], otherPostalCode: ['Code postal (autre)'], otherCountry: ['Pays/Région (autre)'],
  birthday: ['Anniversaire'], anniversary: ['Anniversaire de mariage ou fête'], notes: ['Notes'], categories: ['Catégories'], webPage: ['Page Web'], gender: ['Sexe'],
  ignored: ['Type de messagerie', 'Nom complet de l\'adresse de messagerie', 'Type de messagerie 2', "Nom complet de l'adresse de messagerie 2", 'Type de messagerie 3', "Nom complet de l'adresse de messagerie 3", 'Priorité', 'Privé', 'Critère de diffusion', 'Initiales', 'Disponibilité Internet'],
};

const SPANISH: Names = {
  title: ['Tratamiento'], first: ['Nombre'], middle: ['Segundo nombre'], last: ['Apellidos'], suffix: ['Sufijo'], nickname: ['Alias'],
  company: ['Organización', 'Compañía'], department: ['Departamento'], jobTitle: ['Puesto'], office: ['Oficina'], profession: ['Profesión'],
  manager: ['Nombre del director'], assistant: ['Nombre del ayudante'], spouse: ['Cónyuge'], children: ['Hijos'],
  email1: ['Dirección de correo electrónico'], email2: ['Dirección del correo electrónico 2', 'Dirección de correo electrónico 2'], email3: ['Dirección del correo electrónico 3', 'Dirección de correo electrónico 3'],
  businessPhone: ['Teléfono del trabajo'], businessPhone2: ['Teléfono del trabajo 2'], homePhone: ['Particular', 'Teléfono particular'], homePhone2: ['Particular 2', 'Teléfono particular 2'], mobilePhone: ['Móvil', 'Teléfono móvil'],
  carPhone: ['Teléfono del automóvil'], otherPhone: ['Otro teléfono'], primaryPhone: ['Teléfono principal'], pager: ['Localizador'], businessFax: ['Fax del trabajo'], homeFax: ['Fax particular'],
  otherFax: ['Otro fax'], companyMainPhone: ['Número de centralita de la organización'], assistantPhone: ['Teléfono del ayudante'], callback: ['Devolución de llamada'], radioPhone: ['Radioteléfono'],
  telex: ['Télex'], ttyPhone: ['Teléfono TTY/TDD'], isdn: ['RDSI'],
  businessStreet: ['Calle del trabajo'], businessStreet2: ['Calle del trabajo 2'], businessStreet3: ['Calle del trabajo 3'], businessPoBox: ['Apartado postal del trabajo'],
  businessCity: ['Ciudad de trabajo'], businessState: ['Provincia o estado de trabajo'], businessPostalCode: ['Código postal del trabajo'], businessCountry: ['País o región del trabajo'],
  homeStreet: ['Calle del domicilio'], homeStreet2: ['Calle del domicilio 2'], homeStreet3: ['Calle del domicilio 3'], homePoBox: ['Apartado postal del domicilio'], homeCity: ['Ciudad de residencia'],
  homeState: ['Provincia o estado de residencia'], homePostalCode: ['Código postal de residencia'], homeCountry: ['País o región de residencia'],
  otherStreet: ['Otra calle'], otherStreet2: ['Otra calle 2'], otherStreet3: ['Otra calle 3'], otherPoBox: ['Otro apartado postal'], otherCity: ['Otra ciudad'],
  otherState: ['Otra provincia o estado'], otherPostalCode: ['Otro código postal'], otherCountry: ['Otro país o región'],
  birthday: ['Cumpleaños'], anniversary: ['Aniversario'], notes: ['Notas'], categories: ['Categorías'], webPage: ['Página Web'], gender: ['Sexo'],
  ignored: ['Tipo de correo electrónico', 'Nombre para mostrar del correo electrónico', 'Prioridad', 'Privado', 'Confidencialidad', 'Iniciales'],
};

const ITALIAN: Names = {
  title: ['Titolo'], first: ['Nome'], middle: ['Secondo nome'], last: ['Cognome'], suffix: ['Titolo straniero', 'Suffisso'], nickname: ['Soprannome'],
  company: ['Società'], department: ['Reparto'], jobTitle: ['Posizione'], office: ['Ufficio'], profession: ['Professione'],
  manager: ['Nome del manager'], assistant: ['Nome assistente'], spouse: ['Coniuge'], children: ['Figli'],
  email1: ['Indirizzo posta elettronica'], email2: ['Indirizzo posta elettronica 2'], email3: ['Indirizzo posta elettronica 3'],
  businessPhone: ['Ufficio', 'Telefono ufficio'], businessPhone2: ['Ufficio 2', 'Telefono ufficio 2'], homePhone: ['Abitazione', 'Telefono abitazione'], homePhone2: ['Abitazione 2', 'Telefono abitazione 2'], mobilePhone: ['Cellulare'],
  carPhone: ['Telefono auto'], otherPhone: ['Altro telefono'], primaryPhone: ['Telefono principale'], pager: ['Cercapersone'], businessFax: ['Fax (uff.)'], homeFax: ['Fax (ab.)'],
  otherFax: ['Altro fax'], companyMainPhone: ['Telefono principale società'], assistantPhone: ['Telefono assistente'], callback: ['Richiamata automatica'], radioPhone: ['Radiotelefono'],
  telex: ['Telex'], ttyPhone: ['Telefono TTY/TDD'], isdn: ['ISDN'],
  businessStreet: ['Via (uff.)'], businessStreet2: ['Via (uff.) 2'], businessStreet3: ['Via (uff.) 3'], businessPoBox: ['Casella postale (uff.)'],
  businessCity: ['Città (uff.)'], businessState: ['Provincia (uff.)'], businessPostalCode: ['CAP (uff.)'], businessCountry: ['Paese/area geografica (uff.)', 'Paese (uff.)'],
  homeStreet: ['Via (ab.)'], homeStreet2: ['Via (ab.) 2'], homeStreet3: ['Via (ab.) 3'], homePoBox: ['Casella postale (ab.)'], homeCity: ['Città (ab.)'],
  homeState: ['Provincia (ab.)'], homePostalCode: ['CAP (ab.)'], homeCountry: ['Paese/area geografica (ab.)', 'Paese (ab.)'],
  otherStreet: ['Altra via'], otherStreet2: ['Altra via 2'], otherStreet3: ['Altra via 3'], otherPoBox: ['Altra casella postale'], otherCity: ['Altra città'],
  otherState: ['Altra provincia'], otherPostalCode: ['Altro CAP'], otherCountry: ['Altro paese/area geografica', 'Altro paese'],
  birthday: ['Compleanno'], anniversary: ['Anniversario'], notes: ['Notes', 'Note'], categories: ['Categorie'], webPage: ['Pagina Web'], gender: ['Sesso'],
  ignored: ['Tipo posta elettronica', 'Nome visualizzato posta elettronica', 'Priorità', 'Privato', 'Riservatezza', 'Iniziali'],
};

const DUTCH: Names = {
  title: ['Titel'], first: ['Voornaam'], middle: ['Middelste naam', 'Tweede voornaam'], last: ['Achternaam'], suffix: ['Achtervoegsel'], nickname: ['Bijnaam'],
  company: ['Bedrijf'], department: ['Afdeling'], jobTitle: ['Functie'], office: ['Kantoorlocatie'], profession: ['Beroep'],
  manager: ['Naam manager'], assistant: ['Naam assistent'], spouse: ['Partner'], children: ['Kinderen'],
  email1: ['E-mailadres'], email2: ['E-mailadres 2'], email3: ['E-mailadres 3'],
  businessPhone: ['Telefoon op werk'], businessPhone2: ['Telefoon op werk 2'], homePhone: ['Telefoon thuis'], homePhone2: ['Telefoon thuis 2'], mobilePhone: ['Mobiele telefoon'],
  carPhone: ['Autotelefoon'], otherPhone: ['Andere telefoon'], primaryPhone: ['Hoofdtelefoon'], pager: ['Pieper'], businessFax: ['Fax op werk'], homeFax: ['Fax thuis'],
  otherFax: ['Andere fax'], companyMainPhone: ['Hoofdtelefoon bedrijf'], assistantPhone: ['Telefoon assistent'], callback: ['Terugbellen'], radioPhone: ['Radiotelefoon'],
  telex: ['Telex'], ttyPhone: ['Teksttelefoon'], isdn: ['ISDN'],
  businessStreet: ['Werkadres, straat'], businessStreet2: ['Werkadres, straat 2'], businessStreet3: ['Werkadres, straat 3'], businessPoBox: ['Werkadres, postbus'],
  businessCity: ['Werkadres, plaats'], businessState: ['Werkadres, provincie'], businessPostalCode: ['Werkadres, postcode'], businessCountry: ['Werkadres, land/regio'],
  homeStreet: ['Huisadres, straat'], homeStreet2: ['Huisadres, straat 2'], homeStreet3: ['Huisadres, straat 3'], homePoBox: ['Huisadres, postbus'], homeCity: ['Huisadres, plaats'],
  homeState: ['Huisadres, provincie'], homePostalCode: ['Huisadres, postcode'], homeCountry: ['Huisadres, land/regio'],
  otherStreet: ['Ander adres, straat'], otherStreet2: ['Ander adres, straat 2'], otherStreet3: ['Ander adres, straat 3'], otherPoBox: ['Ander adres, postbus'], otherCity: ['Ander adres, plaats'],
  otherState: ['Ander adres, provincie'], otherPostalCode: ['Ander adres, postcode'], otherCountry: ['Ander adres, land/regio'],
  birthday: ['Verjaardag'], anniversary: ['Jubileum'], notes: ['Notities'], categories: ['Categorieën'], webPage: ['Webpagina'], gender: ['Geslacht'],
  ignored: ['E-mailtype', 'Weergavenaam e-mail', 'Prioriteit', 'Privé', 'Gevoeligheid', 'Initialen'],
};

export const OUTLOOK_HEADERS: Record<CsvLanguage, Names> = { English: ENGLISH, German: GERMAN, French: FRENCH, Spanish: SPANISH, Italian: ITALIAN, Dutch: DUTCH };

export function normalizeHeader(name: string): string {
  return name.replace(/\u00a0/g, ' ').replace(/^\ufeff/, '').replace(/\s+/g, ' ').trim().toLowerCase();
}

/** Header name → field, per language (built once). */
export const OUTLOOK_LOOKUP: Record<CsvLanguage, Map<string, CsvField>> = Object.fromEntries(
  Object.entries(OUTLOOK_HEADERS).map(([language, names]) => [language, new Map(Object.entries(names).flatMap(([field, list]) => list.map((n) => [normalizeHeader(n), field as CsvField])))]),
) as Record<CsvLanguage, Map<string, CsvField>>;
