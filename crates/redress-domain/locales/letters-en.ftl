# The wording of every letter and email Redress writes, in English, as it ships.
# Organisations change it for themselves under Settings, Letters; this is what they start
# from. Each kind has a subject and a body. { $name } and the like are filled in when the
# letter is written: the placeholders each kind may use are listed in the letter editor,
# and a Welsh wording must use the same ones as the English (a test checks).
#
# Letters to staff (safeguarding alerts, hazard referrals, reminders, compliments passed
# on) have English wording only: staff read English.

## acknowledgement

acknowledgement-subject = We have received your complaint { $reference }
acknowledgement-body =
    Dear { $name }

    Thank you for your complaint, which we received on { $received }. Your reference is { $reference }.

    Our understanding of your complaint is:
    { $understanding }

    You told us you would like:
    { $outcome_wanted }

    If we have misunderstood anything, please tell us as soon as you can.

    { $handler } is looking into your complaint. We will send you our full response by { $respond_by }. If we need more time we will tell you why and when you will hear from us.

    Yours sincerely

    { $signature }
    { $organisation }

    { $contact_details }

## escalation-acknowledgement

escalation-acknowledgement-subject = Your complaint { $reference } is now at stage { $stage }
escalation-acknowledgement-body =
    Dear { $name }

    You asked us on { $started } to look at your complaint { $reference } again. It is now at stage { $stage } of our complaints procedure and a different person will review it.

    Our understanding of what is still unresolved is:
    { $understanding }

    You told us you would like:
    { $outcome_wanted }

    { $handler } is reviewing your complaint. We will send you our response by { $respond_by }.

    Yours sincerely

    { $signature }
    { $organisation }

    { $contact_details }

## extension

extension-subject = We need more time to respond to your complaint { $reference }
extension-body =
    Dear { $name }

    We are sorry, but we need more time to respond to your complaint { $reference }. The reason is:
    { $extension_reason }

    We will now send you our response by { $respond_by }.

    If you are unhappy with this, you can contact the { $ombudsman }: { $ombudsman_contact }

    Yours sincerely

    { $signature }
    { $organisation }

    { $contact_details }

## decline

decline-subject = About your complaint { $reference }
decline-body =
    Dear { $name }

    Thank you for contacting us. We have carefully considered your complaint { $reference } and we are not able to take it on through our complaints procedure because: { $decline_reason }.

    { $explanation }

    If you disagree with this decision you can ask the { $ombudsman } to look at it: { $ombudsman_contact }

    Yours sincerely

    { $signature }
    { $organisation }

    { $contact_details }

## stage-response

stage-response-subject = Our stage { $stage } response to your complaint { $reference }
stage-response-body =
    Dear { $name }

    This is our stage { $stage } response to your complaint { $reference }.

    Your complaint as we understood it:
    { $understanding }

    Our decision on each point:
    { $decisions }

    Overall, your complaint is { $outcome }.

    Our reasons:
    { $reasons }

    { $remedies }

    { $outstanding_actions }

    If you are not satisfied, you can ask us to escalate your complaint to the next stage. You do not need to give a reason: reply to this letter, call us or use our website, quoting { $reference }.

    Yours sincerely

    { $signature }
    { $organisation }

    { $contact_details }

## final-response

final-response-subject = Our final response to your complaint { $reference }
final-response-body =
    Dear { $name }

    This is our final response to your complaint { $reference }, at stage { $stage } of our complaints procedure.

    Your complaint as we understood it:
    { $understanding }

    Our decision on each point:
    { $decisions }

    Overall, your complaint is { $outcome }.

    Our reasons:
    { $reasons }

    { $remedies }

    { $outstanding_actions }

    This is the end of our complaints procedure. If you are not satisfied, you can ask the { $ombudsman } to look at your complaint: { $ombudsman_contact }

    Yours sincerely

    { $signature }
    { $organisation }

    { $contact_details }

## staff-reminder

staff-reminder-subject = { $reference }: { $outcome }
staff-reminder-body =
    { $name }

    { $reference }: { $outcome } ({ $respond_by }).

    { $organisation } complaints service

## compliment-thanks

compliment-thanks-subject = Thank you for your compliment { $reference }
compliment-thanks-body =
    Dear { $name }

    Thank you for taking the time to tell us about good service. We have passed your compliment on to the people it is about and to their manager.

    Yours sincerely

    { $signature }
    { $organisation }

    { $contact_details }

## comment-reply

comment-reply-subject = Our reply to your comment { $reference }
comment-reply-body =
    Dear { $name }

    Thank you for your comment, which we received on { $received }:
    { $summary }

    { $reply }

    Yours sincerely

    { $signature }
    { $organisation }

    { $contact_details }

## reclassified

reclassified-subject = How we are dealing with { $reference }
reclassified-body =
    Dear { $name }

    Thank you for contacting us on { $received }. We are dealing with what you told us as a { $kind }.

    { $explanation }

    If you are unhappy with how we are dealing with it, you can make a complaint.

    Yours sincerely

    { $signature }
    { $organisation }

    { $contact_details }

## sign-in-link

sign-in-link-subject = Follow { $reference } online
sign-in-link-body =
    Dear { $name }

    You asked for a link to follow { $reference } online. Open this link to see where it is, add information or ask for a review:

    { $link }

    The link works once and stops working after 7 days. If you did not ask for it, you can ignore this email: nobody can use it without access to your email.

    { $organisation }

## improvement-made

improvement-made-subject = What changed because of { $reference }
improvement-made-body =
    Dear { $name }

    When you contacted us ({ $reference }), you helped us see something we needed to do better. We want you to know what has changed:

    { $improvement }

    { $change }

    Thank you for taking the time to tell us.

    Yours sincerely

    { $signature }
    { $organisation }

    { $contact_details }

## survey-invitation

survey-invitation-subject = How did we do? ({ $reference })
survey-invitation-body =
    Dear { $name }

    We would like to know how we dealt with { $reference }. It takes two minutes, and you can answer without signing in:

    { $link }

    We ask separately how you feel about how it was handled and about the outcome, and what we could do better. Your answers help us improve.

    Yours sincerely

    { $signature }
    { $organisation }

    { $contact_details }

## improvement-declined

improvement-declined-subject = About the change you suggested ({ $reference })
improvement-declined-body =
    Dear { $name }

    When you contacted us ({ $reference }), your complaint led us to consider this change:

    { $improvement }

    We have decided not to go ahead with it, and want to explain why:

    { $change }

    If you are unhappy with this, please tell us.

    Yours sincerely

    { $signature }
    { $organisation }

    { $contact_details }

## scrutiny-link

scrutiny-link-subject = Your Community Call for Scrutiny { $reference }
scrutiny-link-body =
    Dear { $name }

    This is the private link to your Community Call for Scrutiny { $reference }. Use it to finish a saved form, see how many people have signed, follow the team's decision and, if you need to, appeal:

    { $link }

    Keep this email: anyone with the link can see your request.

    { $organisation }

## scrutiny-acknowledged

scrutiny-acknowledged-subject = We have received your Community Call for Scrutiny { $reference }
scrutiny-acknowledged-body =
    Dear { $name }

    Thank you for your Community Call for Scrutiny { $reference }, which we received on { $received }.

    Next we decide how it goes to the Customer Scrutiny Team. Usually the team asks for a petition, so that other residents affected can add their names; sometimes an officer gathers evidence with you; a significant failure goes straight to the team. We will write to you again to tell you which, and what happens then.

    You can follow your request with the private link we gave you, or call or write to us at the details below, quoting { $reference }.

    Yours sincerely

    { $signature }
    { $organisation }

    { $contact_details }

## scrutiny-route

scrutiny-route-subject = What happens next with your Community Call for Scrutiny { $reference }
scrutiny-route-body =
    Dear { $name }

    We have decided how your Community Call for Scrutiny { $reference } goes to the Customer Scrutiny Team.

    { $explanation }

    If you have any questions, call or write to us at the details below, quoting { $reference }.

    Yours sincerely

    { $signature }
    { $organisation }

    { $contact_details }

## scrutiny-meeting

scrutiny-meeting-subject = Your Community Call for Scrutiny { $reference } goes to the team's meeting
scrutiny-meeting-body =
    Dear { $name }

    { $explanation }

    We will write to you with the team's decision and its reasons. If you have any questions, call or write to us at the details below, quoting { $reference }.

    Yours sincerely

    { $signature }
    { $organisation }

    { $contact_details }

## scrutiny-decision

scrutiny-decision-subject = The Customer Scrutiny Team's decision on { $reference }
scrutiny-decision-body =
    Dear { $name }

    The Customer Scrutiny Team has considered your Community Call for Scrutiny { $reference }.

    Its decision: { $outcome }.

    Its reasons:
    { $reasons }

    { $explanation }

    If you are unhappy with this decision you can appeal in writing by { $respond_by }. An independent panel of Link Group members will look at your request and the team's decision, and its decision is final. You can appeal through your own link, which replaces any link we sent you before:
    { $link }

    Or write to the Customer Empowerment Manager at the address below, quoting { $reference }.

    Yours sincerely

    { $signature }
    { $organisation }

    { $contact_details }

## scrutiny-appeal-received

scrutiny-appeal-received-subject = We have received your appeal about { $reference }
scrutiny-appeal-received-body =
    Dear { $name }

    Thank you for your appeal about the Customer Scrutiny Team's decision on your Community Call for Scrutiny { $reference }, which we received on { $received }.

    A panel of four to six Link Group members, none of whom took part in the team's decision, will look at your request, the team's decision and what you have told us. The panel's decision is final. We will write to you with it and its reasons.

    If you have anything to add, call or write to the Customer Empowerment Manager at the details below, quoting { $reference }.

    Yours sincerely

    { $signature }
    { $organisation }

    { $contact_details }

## scrutiny-appeal-decision

scrutiny-appeal-decision-subject = The appeal panel's decision on { $reference }
scrutiny-appeal-decision-body =
    Dear { $name }

    A panel of Link Group members has considered your appeal about your Community Call for Scrutiny { $reference }.

    Its decision: { $outcome }.

    Its reasons:
    { $reasons }

    The panel's decision is final.

    Yours sincerely

    { $signature }
    { $organisation }

    { $contact_details }

## scrutiny-outcome

scrutiny-outcome-subject = What came of your Community Call for Scrutiny { $reference }
scrutiny-outcome-body =
    Dear { $name }

    { $explanation }

    What came of it:
    { $outcome }

    Thank you for raising it. If you have any questions, call or write to us at the details below, quoting { $reference }.

    Yours sincerely

    { $signature }
    { $organisation }

    { $contact_details }

## paused

paused-subject = Your complaint { $reference } is waiting for another procedure
paused-body =
    Dear { $name }

    Part of your complaint { $reference } has to wait for another procedure to finish:
    { $pause_reason }

    We still aim to send you our response by { $respond_by }. If we need longer, we will write to tell you why and when you will hear from us. We will let you know when the other procedure has finished.

    If you are unhappy about this, please tell us, or contact the { $ombudsman }: { $ombudsman_contact }

    Yours sincerely

    { $signature }
    { $organisation }

    { $contact_details }

## resumed

resumed-subject = Your complaint { $reference } is no longer waiting
resumed-body =
    Dear { $name }

    The procedure your complaint { $reference } was waiting for has finished, and we are dealing with your complaint in full again. We will send you our response by { $respond_by }.

    Yours sincerely

    { $signature }
    { $organisation }

    { $contact_details }

## compliment-passed-on

compliment-passed-on-subject = A compliment for { $colleague } ({ $reference })
compliment-passed-on-body =
    A resident has paid a compliment to { $colleague }, received on { $received } ({ $reference }):

    { $summary }

    This email goes to { $colleague } and to their manager, { $manager }. Thank you for the good service.

    { $organisation } complaints service

## safeguarding-alert

safeguarding-alert-subject = Safeguarding: { $reference } needs you now
safeguarding-alert-body =
    { $name }

    A { $kind } has just been recorded where { $outcome }. It is { $reference }.

    Open it now, decide what to do, and record the safeguarding review on the case:
    { $link }

    The details are on the case only: sign in to read them.

    { $organisation } complaints service

## hazard-referral

hazard-referral-subject = Hazard: { $reference }, { $kind }
hazard-referral-body =
    To the repairs service

    A hazard in a resident's home has been confirmed on { $reference }: { $kind }.

    { $outcome }

    The resident's details and what they told us are on the case:
    { $link }

    Please record each step (investigation, making safe, the written summary, safety work) with the complaints team as it is done.

    { $organisation } complaints service

## authority-needed

authority-needed-subject = What we need before you can follow { $reference } online
authority-needed-body =
    Dear { $name }

    You tried to follow { $reference } online. You are recorded as acting for someone on it, but we have not yet recorded that they agreed.

    Please send us their permission: a letter or form signed by them, or a power of attorney, quoting { $reference }. Once we have recorded it, you can follow the case online with this email address.

    { $contact_details }

    Yours sincerely

    { $signature }
    { $organisation }

## email-receipt

email-receipt-subject = We have received your email: { $reference }
email-receipt-body =
    Dear { $name }

    Thank you for your email, which we received on { $received }. Your reference is { $reference }.

    A member of our team will read it and tell you how we will deal with it. If you want to add anything, reply to this email or quote { $reference } when you contact us.

    Yours sincerely

    { $signature }
    { $organisation }

    { $contact_details }
