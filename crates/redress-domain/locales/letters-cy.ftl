# Geiriad pob llythyr ac e-bost y mae Redress yn ei ysgrifennu, yn Gymraeg, fel y daw.
# The Welsh wording of every letter and email written to residents, as it ships. An
# organisation that changes a letter's English wording must change its Welsh too, or the
# Welsh letter is held rather than sent in English. docs/welsh.md lists what a
# professional translator should check.

## acknowledgement

acknowledgement-subject = Rydym wedi cael eich cwyn { $reference }
acknowledgement-body =
    Annwyl { $name }

    Diolch am eich cwyn, a gawsom ar { $received }. Eich cyfeirnod yw { $reference }.

    Rydym yn deall mai dyma yw eich cwyn:
    { $understanding }

    Dywedoch yr hoffech:
    { $outcome_wanted }

    Os ydym wedi camddeall unrhyw beth, rhowch wybod i ni cyn gynted ag y gallwch.

    Mae { $handler } yn ymchwilio i'ch cwyn. Byddwn yn anfon ein hymateb llawn atoch erbyn { $respond_by }. Os bydd angen mwy o amser arnom, byddwn yn dweud wrthych pam a phryd y byddwch yn clywed gennym.

    Yn gywir

    { $signature }
    { $organisation }

    { $contact_details }

## escalation-acknowledgement

escalation-acknowledgement-subject = Mae eich cwyn { $reference } bellach yng ngham { $stage }
escalation-acknowledgement-body =
    Annwyl { $name }

    Gofynnoch i ni ar { $started } edrych eto ar eich cwyn { $reference }. Mae bellach yng ngham { $stage } ein gweithdrefn gwyno, a bydd rhywun gwahanol yn ei hadolygu.

    Rydym yn deall mai dyma sydd heb ei ddatrys o hyd:
    { $understanding }

    Dywedoch yr hoffech:
    { $outcome_wanted }

    Mae { $handler } yn adolygu eich cwyn. Byddwn yn anfon ein hymateb atoch erbyn { $respond_by }.

    Yn gywir

    { $signature }
    { $organisation }

    { $contact_details }

## extension

extension-subject = Mae angen mwy o amser arnom i ymateb i'ch cwyn { $reference }
extension-body =
    Annwyl { $name }

    Mae'n ddrwg gennym, ond mae angen mwy o amser arnom i ymateb i'ch cwyn { $reference }. Y rheswm yw:
    { $extension_reason }

    Byddwn nawr yn anfon ein hymateb atoch erbyn { $respond_by }.

    Os ydych yn anhapus â hyn, gallwch gysylltu ag { $ombudsman }: { $ombudsman_contact }

    Yn gywir

    { $signature }
    { $organisation }

    { $contact_details }

## decline

decline-subject = Ynglŷn â'ch cwyn { $reference }
decline-body =
    Annwyl { $name }

    Diolch am gysylltu â ni. Rydym wedi ystyried eich cwyn { $reference } yn ofalus, ac ni allwn ei derbyn drwy ein gweithdrefn gwyno oherwydd: { $decline_reason }.

    { $explanation }

    Os ydych yn anghytuno â'r penderfyniad hwn, gallwch ofyn i { $ombudsman } edrych arno: { $ombudsman_contact }

    Yn gywir

    { $signature }
    { $organisation }

    { $contact_details }

## stage-response

stage-response-subject = Ein hymateb cam { $stage } i'ch cwyn { $reference }
stage-response-body =
    Annwyl { $name }

    Dyma ein hymateb cam { $stage } i'ch cwyn { $reference }.

    Eich cwyn fel yr oeddem yn ei deall:
    { $understanding }

    Ein penderfyniad ar bob pwynt:
    { $decisions }

    Ar y cyfan, mae eich cwyn { $outcome }.

    Ein rhesymau:
    { $reasons }

    { $remedies }

    { $outstanding_actions }

    Os nad ydych yn fodlon, gallwch ofyn i ni symud eich cwyn i'r cam nesaf. Nid oes angen i chi roi rheswm: atebwch y llythyr hwn, ffoniwch ni neu defnyddiwch ein gwefan, gan ddyfynnu { $reference }.

    Yn gywir

    { $signature }
    { $organisation }

    { $contact_details }

## final-response

final-response-subject = Ein hymateb terfynol i'ch cwyn { $reference }
final-response-body =
    Annwyl { $name }

    Dyma ein hymateb terfynol i'ch cwyn { $reference }, yng ngham { $stage } ein gweithdrefn gwyno.

    Eich cwyn fel yr oeddem yn ei deall:
    { $understanding }

    Ein penderfyniad ar bob pwynt:
    { $decisions }

    Ar y cyfan, mae eich cwyn { $outcome }.

    Ein rhesymau:
    { $reasons }

    { $remedies }

    { $outstanding_actions }

    Dyma ddiwedd ein gweithdrefn gwyno. Os nad ydych yn fodlon, gallwch ofyn i { $ombudsman } edrych ar eich cwyn: { $ombudsman_contact }

    Yn gywir

    { $signature }
    { $organisation }

    { $contact_details }

## compliment-thanks

compliment-thanks-subject = Diolch am eich canmoliaeth { $reference }
compliment-thanks-body =
    Annwyl { $name }

    Diolch am roi o'ch amser i ddweud wrthym am wasanaeth da. Rydym wedi rhannu eich canmoliaeth â'r bobl y mae'n sôn amdanynt ac â'u rheolwr.

    Yn gywir

    { $signature }
    { $organisation }

    { $contact_details }

## comment-reply

comment-reply-subject = Ein hateb i'ch sylw { $reference }
comment-reply-body =
    Annwyl { $name }

    Diolch am eich sylw, a gawsom ar { $received }:
    { $summary }

    { $reply }

    Yn gywir

    { $signature }
    { $organisation }

    { $contact_details }

## reclassified

reclassified-subject = Sut rydym yn delio â { $reference }
reclassified-body =
    Annwyl { $name }

    Diolch am gysylltu â ni ar { $received }. Rydym yn delio â'r hyn a ddywedoch wrthym fel { $kind }.

    { $explanation }

    Os ydych yn anhapus â'r ffordd rydym yn delio ag ef, gallwch wneud cwyn.

    Yn gywir

    { $signature }
    { $organisation }

    { $contact_details }

## sign-in-link

sign-in-link-subject = Dilyn { $reference } ar-lein
sign-in-link-body =
    Annwyl { $name }

    Gofynnoch am ddolen i ddilyn { $reference } ar-lein. Agorwch y ddolen hon i weld sut mae pethau arni, i ychwanegu gwybodaeth neu i ofyn am adolygiad:

    { $link }

    Mae'r ddolen yn gweithio unwaith ac yn peidio â gweithio ar ôl 7 diwrnod. Os na wnaethoch ofyn amdani, gallwch anwybyddu'r e-bost hwn: ni all neb ei defnyddio heb fynediad i'ch e-bost.

    { $organisation }

## improvement-made

improvement-made-subject = Beth sydd wedi newid oherwydd { $reference }
improvement-made-body =
    Annwyl { $name }

    Pan wnaethoch gysylltu â ni ({ $reference }), gwnaethoch ein helpu i weld rhywbeth yr oedd angen i ni ei wneud yn well. Rydym am i chi wybod beth sydd wedi newid:

    { $improvement }

    { $change }

    Diolch am roi o'ch amser i ddweud wrthym.

    Yn gywir

    { $signature }
    { $organisation }

    { $contact_details }

## survey-invitation

survey-invitation-subject = Sut wnaethon ni? ({ $reference })
survey-invitation-body =
    Annwyl { $name }

    Hoffem wybod sut y gwnaethom ddelio â { $reference }. Mae'n cymryd dwy funud, a gallwch ateb heb fewngofnodi:

    { $link }

    Rydym yn gofyn ar wahân sut rydych yn teimlo am y ffordd y cafodd ei drin ac am y canlyniad, a beth y gallem ei wneud yn well. Mae eich atebion yn ein helpu i wella.

    Yn gywir

    { $signature }
    { $organisation }

    { $contact_details }

## improvement-declined

improvement-declined-subject = Ynglŷn â'r newid a awgrymoch ({ $reference })
improvement-declined-body =
    Annwyl { $name }

    Pan wnaethoch gysylltu â ni ({ $reference }), arweiniodd eich cwyn at ystyried y newid hwn:

    { $improvement }

    Rydym wedi penderfynu peidio â bwrw ymlaen ag ef, ac rydym am esbonio pam:

    { $change }

    Os ydych yn anhapus â hyn, rhowch wybod i ni.

    Yn gywir

    { $signature }
    { $organisation }

    { $contact_details }

## scrutiny-link

scrutiny-link-subject = Eich Galwad Gymunedol am Graffu { $reference }
scrutiny-link-body =
    Annwyl { $name }

    Dyma'r ddolen breifat i'ch Galwad Gymunedol am Graffu { $reference }. Defnyddiwch hi i orffen ffurflen a gadwyd, i weld faint o bobl sydd wedi llofnodi, i ddilyn penderfyniad y tîm ac, os oes angen, i apelio:

    { $link }

    Cadwch yr e-bost hwn: gall unrhyw un sydd â'r ddolen weld eich cais.

    { $organisation }

## scrutiny-acknowledged

scrutiny-acknowledged-subject = Rydym wedi cael eich Galwad Gymunedol am Graffu { $reference }
scrutiny-acknowledged-body =
    Annwyl { $name }

    Diolch am eich Galwad Gymunedol am Graffu { $reference }, a gawsom ar { $received }.

    Nesaf byddwn yn penderfynu sut y bydd yn mynd at y Tîm Craffu Cwsmeriaid. Fel arfer mae'r tîm yn gofyn am ddeiseb, er mwyn i breswylwyr eraill yr effeithir arnynt ychwanegu eu henwau; weithiau bydd swyddog yn casglu tystiolaeth gyda chi; mae methiant sylweddol yn mynd yn syth at y tîm. Byddwn yn ysgrifennu atoch eto i ddweud pa un, a beth sy'n digwydd wedyn.

    Gallwch ddilyn eich cais gyda'r ddolen breifat a roesom i chi, neu ffonio neu ysgrifennu atom gan ddefnyddio'r manylion isod, gan ddyfynnu { $reference }.

    Yn gywir

    { $signature }
    { $organisation }

    { $contact_details }

## scrutiny-route

scrutiny-route-subject = Beth sy'n digwydd nesaf gyda'ch Galwad Gymunedol am Graffu { $reference }
scrutiny-route-body =
    Annwyl { $name }

    Rydym wedi penderfynu sut y bydd eich Galwad Gymunedol am Graffu { $reference } yn mynd at y Tîm Craffu Cwsmeriaid.

    { $explanation }

    Os oes gennych unrhyw gwestiynau, ffoniwch neu ysgrifennwch atom gan ddefnyddio'r manylion isod, gan ddyfynnu { $reference }.

    Yn gywir

    { $signature }
    { $organisation }

    { $contact_details }

## scrutiny-meeting

scrutiny-meeting-subject = Mae eich Galwad Gymunedol am Graffu { $reference } yn mynd i gyfarfod y tîm
scrutiny-meeting-body =
    Annwyl { $name }

    { $explanation }

    Byddwn yn ysgrifennu atoch gyda phenderfyniad y tîm a'i resymau. Os oes gennych unrhyw gwestiynau, ffoniwch neu ysgrifennwch atom gan ddefnyddio'r manylion isod, gan ddyfynnu { $reference }.

    Yn gywir

    { $signature }
    { $organisation }

    { $contact_details }

## scrutiny-decision

scrutiny-decision-subject = Penderfyniad y Tîm Craffu Cwsmeriaid ar { $reference }
scrutiny-decision-body =
    Annwyl { $name }

    Mae'r Tîm Craffu Cwsmeriaid wedi ystyried eich Galwad Gymunedol am Graffu { $reference }.

    Ei benderfyniad: { $outcome }.

    Ei resymau:
    { $reasons }

    { $explanation }

    Os ydych yn anhapus â'r penderfyniad hwn, gallwch apelio yn ysgrifenedig erbyn { $respond_by }. Bydd panel annibynnol o aelodau Link Group yn edrych ar eich cais a phenderfyniad y tîm, ac mae ei benderfyniad yn derfynol. Gallwch apelio drwy eich dolen eich hun, sy'n cymryd lle unrhyw ddolen a anfonwyd gennym o'r blaen:
    { $link }

    Neu ysgrifennwch at y Rheolwr Grymuso Cwsmeriaid yn y cyfeiriad isod, gan ddyfynnu { $reference }.

    Yn gywir

    { $signature }
    { $organisation }

    { $contact_details }

## scrutiny-appeal-received

scrutiny-appeal-received-subject = Rydym wedi cael eich apêl am { $reference }
scrutiny-appeal-received-body =
    Annwyl { $name }

    Diolch am eich apêl yn erbyn penderfyniad y Tîm Craffu Cwsmeriaid ar eich Galwad Gymunedol am Graffu { $reference }, a gawsom ar { $received }.

    Bydd panel o bedwar i chwech o aelodau Link Group, nad oedd yr un ohonynt yn rhan o benderfyniad y tîm, yn edrych ar eich cais, penderfyniad y tîm a'r hyn rydych wedi'i ddweud wrthym. Mae penderfyniad y panel yn derfynol. Byddwn yn ysgrifennu atoch gyda'r penderfyniad a'i resymau.

    Os oes gennych unrhyw beth i'w ychwanegu, ffoniwch neu ysgrifennwch at y Rheolwr Grymuso Cwsmeriaid gan ddefnyddio'r manylion isod, gan ddyfynnu { $reference }.

    Yn gywir

    { $signature }
    { $organisation }

    { $contact_details }

## scrutiny-appeal-decision

scrutiny-appeal-decision-subject = Penderfyniad y panel apêl ar { $reference }
scrutiny-appeal-decision-body =
    Annwyl { $name }

    Mae panel o aelodau Link Group wedi ystyried eich apêl am eich Galwad Gymunedol am Graffu { $reference }.

    Ei benderfyniad: { $outcome }.

    Ei resymau:
    { $reasons }

    Mae penderfyniad y panel yn derfynol.

    Yn gywir

    { $signature }
    { $organisation }

    { $contact_details }

## scrutiny-outcome

scrutiny-outcome-subject = Beth ddaeth o'ch Galwad Gymunedol am Graffu { $reference }
scrutiny-outcome-body =
    Annwyl { $name }

    { $explanation }

    Beth ddaeth ohoni:
    { $outcome }

    Diolch am ei chodi. Os oes gennych unrhyw gwestiynau, ffoniwch neu ysgrifennwch atom gan ddefnyddio'r manylion isod, gan ddyfynnu { $reference }.

    Yn gywir

    { $signature }
    { $organisation }

    { $contact_details }

## paused

paused-subject = Mae eich cwyn { $reference } yn aros am weithdrefn arall
paused-body =
    Annwyl { $name }

    Mae'n rhaid i ran o'ch cwyn { $reference } aros i weithdrefn arall ddod i ben:
    { $pause_reason }

    Rydym yn dal i anelu at anfon ein hymateb atoch erbyn { $respond_by }. Os bydd angen mwy o amser arnom, byddwn yn ysgrifennu i ddweud wrthych pam a phryd y byddwch yn clywed gennym. Byddwn yn rhoi gwybod i chi pan fydd y weithdrefn arall wedi dod i ben.

    Os ydych yn anhapus â hyn, rhowch wybod i ni, neu cysylltwch ag { $ombudsman }: { $ombudsman_contact }

    Yn gywir

    { $signature }
    { $organisation }

    { $contact_details }

## resumed

resumed-subject = Nid yw eich cwyn { $reference } yn aros mwyach
resumed-body =
    Annwyl { $name }

    Mae'r weithdrefn yr oedd eich cwyn { $reference } yn aros amdani wedi dod i ben, ac rydym yn delio â'ch cwyn yn llawn eto. Byddwn yn anfon ein hymateb atoch erbyn { $respond_by }.

    Yn gywir

    { $signature }
    { $organisation }

    { $contact_details }

## authority-needed

authority-needed-subject = Yr hyn sydd ei angen arnom cyn i chi ddilyn { $reference } ar-lein
authority-needed-body =
    Annwyl { $name }

    Rydych wedi ceisio dilyn { $reference } ar-lein. Rydych wedi'ch cofnodi fel rhywun sy'n gweithredu ar ran rhywun arall, ond nid ydym wedi cofnodi eto eu bod wedi cytuno.

    Anfonwch eu caniatâd atom: llythyr neu ffurflen wedi'i llofnodi ganddynt, neu atwrneiaeth, gan ddyfynnu { $reference }. Unwaith y byddwn wedi'i gofnodi, gallwch ddilyn yr achos ar-lein gyda'r cyfeiriad e-bost hwn.

    Yn gywir

    { $signature }
    { $organisation }

    { $contact_details }

## email-receipt

email-receipt-subject = Rydym wedi cael eich e-bost: { $reference }
email-receipt-body =
    Annwyl { $name }

    Diolch am eich e-bost, a gawsom ar { $received }. Eich cyfeirnod yw { $reference }.

    Bydd aelod o'n tîm yn ei ddarllen ac yn dweud wrthych sut y byddwn yn delio ag ef. Os ydych am ychwanegu unrhyw beth, atebwch yr e-bost hwn neu dyfynnwch { $reference } pan fyddwch yn cysylltu â ni.

    Yn gywir

    { $signature }
    { $organisation }

    { $contact_details }
