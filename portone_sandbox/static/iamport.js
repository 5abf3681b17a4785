/* Part of payment_galaxia. See LICENSE file for full copyright and licensing details.
 *
 * Stand-in for PortOne's V1 JS SDK (https://cdn.iamport.kr/v1/iamport.js), served by the offline
 * sandbox at /v1/iamport.js. IMP.init(code) and IMP.request_pay(param, callback) behave like
 * PortOne's for a Galaxia MoneyTree channel: the parameter is checked with the rules of
 * payment_galaxia/rules.py (the limits below are injected by the server, window_api.rule_spec()),
 * then a small payment window is drawn in the page. See docs/sandbox.md for the DOM contract.
 *
 * Under node, only the validator is exported (for the Python/JS parity test).
 */
(function () {
    'use strict';

    var RULES = /*@RULE_SPEC@*/null;

    // === RULES (same checks, same order as validate_request_pay in rules.py) === //

    function isText(value) {
        return typeof value === 'string' && value.trim() !== '';
    }

    function isNumber(value) {
        return typeof value === 'number';
    }

    function isWholeNumber(value) {
        return isNumber(value) && Number.isInteger(value);
    }

    function isPresent(value) {
        return value !== undefined && value !== null;
    }

    function codePoints(text) {
        // Python counts code points; JS .length counts UTF-16 units.
        return Array.from(text).length;
    }

    function nested(object, keys) {
        var value = object;
        for (var i = 0; i < keys.length; i++) {
            if (value === null || typeof value !== 'object' || Array.isArray(value)) {
                return undefined;
            }
            value = value[keys[i]];
        }
        return value;
    }

    function isDate(value) {
        if (typeof value !== 'string') {
            return false;
        }
        var match = /^([0-9]{4})([0-9]{2})([0-9]{2})$/.exec(value)
            || /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(value);
        if (!match) {
            return false;
        }
        var year = Number(match[1]);
        var month = Number(match[2]);
        var day = Number(match[3]);
        var leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
        var monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
        return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= monthDays[month - 1];
    }

    function Refusal(code, field) {
        this.code = code;
        this.message = RULES.messages[code];
        this.field = field;
    }

    function checkText(param, key, maxLength) {
        var value = param[key];
        if (!isText(value)) {
            throw new Refusal('missing_' + key, key);
        }
        if (codePoints(value) > maxLength) {
            throw new Refusal(key + '_too_long', key);
        }
    }

    function check(param, mobile) {
        var payMethod = param.pay_method;
        var customerUid = param.customer_uid;
        var amount = param.amount === undefined ? 0 : param.amount;
        var currency = param.currency === undefined ? RULES.currency : param.currency;
        if (!isText(param.channelKey)) {
            throw new Refusal('missing_channel_key', 'channelKey');
        }
        if (RULES.pay_methods.indexOf(payMethod) === -1) {
            throw new Refusal('unknown_pay_method', 'pay_method');
        }
        if (currency !== RULES.currency) {
            throw new Refusal('currency_not_krw', 'currency');
        }
        checkText(param, 'merchant_uid', RULES.max_merchant_uid_length);
        checkText(param, 'name', RULES.max_name_length);
        checkText(param, 'customer_id', RULES.max_customer_id_length);
        if (isPresent(customerUid) && RULES.billing_key_pay_methods.indexOf(payMethod) === -1) {
            throw new Refusal('billing_key_not_allowed', 'customer_uid');
        }
        var issuesCardKey = isPresent(customerUid) && payMethod === 'card';
        if (!isWholeNumber(amount) || amount < 0 || (amount === 0 && !issuesCardKey)) {
            throw new Refusal('invalid_amount', 'amount');
        }
        if (mobile && !isText(param.m_redirect_url)) {
            throw new Refusal('missing_m_redirect_url', 'm_redirect_url');
        }
        if (payMethod === 'vbank') {
            if (!isPresent(param.vbank_due) || param.vbank_due === '') {
                throw new Refusal('missing_vbank_due', 'vbank_due');
            }
            if (!isDate(param.vbank_due)) {
                throw new Refusal('invalid_vbank_due', 'vbank_due');
            }
        }
        if (param.escrow === true && RULES.escrow_pay_methods.indexOf(payMethod) === -1) {
            throw new Refusal('escrow_not_allowed', 'escrow');
        }
        if (amount < RULES.min_installment_amount) {
            var cardQuota = nested(param, ['display', 'card_quota']);
            if (Array.isArray(cardQuota) && cardQuota.some(function (months) {
                return isNumber(months) && months > 1;
            })) {
                throw new Refusal('installment_below_minimum', 'display.card_quota');
            }
            var directQuota = nested(param, ['card', 'direct', 'quota']);
            if (isNumber(directQuota) && directQuota > 1) {
                throw new Refusal('installment_below_minimum', 'card.direct.quota');
            }
        }
        var itemCode = nested(param, ['bypass', 'galaxia', 'ITEM_CODE']);
        if (isPresent(itemCode) && (typeof itemCode !== 'string'
                || new TextEncoder().encode(itemCode).length > RULES.max_item_code_bytes)) {
            throw new Refusal('invalid_item_code', 'bypass.galaxia.ITEM_CODE');
        }
        if (payMethod === 'trans' && !isText(param.buyer_name)) {
            throw new Refusal('missing_buyer_name', 'buyer_name');
        }
        ['tax_free', 'vat_amount'].forEach(function (key) {
            var value = param[key];
            if (isPresent(value) && !(isWholeNumber(value) && value >= 0 && value <= amount)) {
                throw new Refusal('invalid_' + key, key);
            }
        });
        var carrier = nested(param, ['phone', 'carrier']);
        if (isPresent(carrier) && RULES.phone_carriers.indexOf(carrier) === -1) {
            throw new Refusal('unknown_carrier', 'phone.carrier');
        }
        var direct = nested(param, ['card', 'direct']);
        if (isPresent(direct)) {
            var quota = direct.quota === undefined ? 0 : direct.quota;
            if (typeof direct !== 'object' || RULES.card_companies.indexOf(direct.code) === -1
                    || !isWholeNumber(quota) || quota < 0) {
                throw new Refusal('invalid_card_direct', 'card.direct');
            }
        }
        if (isPresent(param.app_scheme) && !(typeof param.app_scheme === 'string'
                && new RegExp('^(?:' + RULES.app_scheme_pattern + ')$').test(param.app_scheme))) {
            throw new Refusal('invalid_app_scheme', 'app_scheme');
        }
    }

    /**
     * @param {Object} param the IMP.request_pay parameter
     * @param {boolean} mobile whether the window opens on a mobile browser
     * @returns {?{code: string, message: string, field: string}} the first rule broken, or null
     */
    function validateRequestPay(param, mobile) {
        try {
            check(param, mobile);
        } catch (error) {
            if (error instanceof Refusal) {
                return {code: error.code, message: error.message, field: error.field};
            }
            throw error;
        }
        return null;
    }

    /**
     * Where a mobile browser goes once the window is finished (PortOne's 302 to m_redirect_url).
     * @param {string} target m_redirect_url
     * @param {Object} rsp the result
     * @param {string} [base] to resolve a relative target
     * @returns {string}
     */
    function redirectUrl(target, rsp, base) {
        var url = new URL(target, base);
        if (isPresent(rsp.imp_uid)) {
            url.searchParams.set('imp_uid', rsp.imp_uid);
        }
        url.searchParams.set('merchant_uid', rsp.merchant_uid || '');
        if ('success' in rsp) {  // A callback reduced to its ids (a fault) redirects with them only.
            url.searchParams.set('imp_success', rsp.success ? 'true' : 'false');
        }
        if (rsp.success === false) {
            url.searchParams.set('error_code', rsp.error_code || '');
            url.searchParams.set('error_msg', rsp.error_msg || '');
        }
        return url.toString();
    }

    if (typeof module !== 'undefined' && module.exports) {
        module.exports = {validateRequestPay: validateRequestPay, redirectUrl: redirectUrl, RULES: RULES};
        return;
    }

    // === SDK (browser only) === //

    var script = document.currentScript || document.querySelector('script[src*="/v1/iamport.js"]');
    var BASE_URL = script.src.replace(/\/v1\/iamport\.js(?:[?#].*)?$/, '');
    var WINDOW_ID = 'imp-sandbox-window';
    var merchantCode = null;

    function isMobile() {
        if (/Mobi|Android|iPhone|iPad/.test(navigator.userAgent)) {
            return true;
        }
        try {
            return window.sessionStorage.getItem('imp_sandbox_mobile') === '1';
        } catch (error) {
            return false;  // storage disabled
        }
    }

    function post(path, body) {
        return fetch(BASE_URL + path, {
            method: 'POST',
            headers: {'Content-Type': 'application/json'},
            body: JSON.stringify(body),
        }).then(function (response) {
            return response.json();
        });
    }

    function failure(param, code, message, impUid) {
        return {
            success: false,
            imp_success: false,
            error_code: code,
            error_msg: message,
            imp_uid: impUid || null,
            merchant_uid: param.merchant_uid,
        };
    }

    function element(tag, attributes, children) {
        var node = document.createElement(tag);
        Object.keys(attributes || {}).forEach(function (name) {
            node.setAttribute(name, attributes[name]);
        });
        (children || []).forEach(function (child) {
            node.append(child);
        });
        return node;
    }

    function select(name, options, selected) {
        return element('select', {name: name}, options.map(function (option) {
            var node = element('option', {value: option.value}, [option.label]);
            node.selected = String(option.value) === String(selected);
            return node;
        }));
    }

    function labelled(label, control) {
        return element('label', {style: 'display:block;margin:8px 0'}, [label + ' ', control]);
    }

    function won(amount) {
        return amount.toLocaleString('ko-KR') + '원';
    }

    function methodControls(win) {
        var banks = win.banks.map(function (bank) {
            return {value: bank.code, label: bank.name};
        });
        if (win.pay_method === 'card') {
            return [labelled('할부 Installments', select('card_quota', win.card_quota_options.map(
                function (months) {
                    return {value: months, label: months === 0 ? '일시불 Lump sum' : months + '개월'};
                }), win.card_quota))];
        }
        if (win.pay_method === 'phone') {
            return [
                labelled('통신사 Carrier', select('carrier', win.carriers.map(function (carrier) {
                    return {value: carrier, label: carrier};
                }), win.carrier)),
                labelled('휴대폰 번호 Phone', element('input', {
                    name: 'phone', type: 'tel', value: win.buyer_tel || '010-0000-0000',
                })),
            ];
        }
        return [labelled('은행 Bank', select('bank', banks))];
    }

    function draw(win, impUid) {
        var previous = document.getElementById(WINDOW_ID);
        if (previous) {
            previous.remove();
        }
        var amount = win.displayed_amount;
        var panel = element('div', {
            'class': 'imp-sandbox-panel',
            style: 'background:#fff;color:#222;padding:20px;border-radius:8px;min-width:300px;'
                + 'max-width:90vw;font:14px sans-serif;box-shadow:0 4px 24px rgba(0,0,0,.3)',
        }, [
            element('h2', {style: 'margin:0 0 8px;font-size:16px'},
                ['PortOne 결제 샌드박스 · Sandbox payment window']),
            element('div', {'class': 'imp-merchant-name'}, [win.merchant_name]),
            element('div', {'class': 'imp-order-name'}, [win.name]),
            element('div', {'class': 'imp-amount', 'data-amount': String(amount),
                style: 'font-size:20px;font-weight:bold;margin:8px 0'}, [won(amount)]),
        ]);
        if (win.issues_billing_key) {
            panel.append(element('div', {'class': 'imp-billing-key-notice'}, [
                win.pay_method === 'card'
                    ? '빌링키 발급 (결제되지 않음) · Billing key only, nothing is charged'
                    : '빌링키 발급과 결제 · Billing key and payment',
            ]));
        }
        var controls = element('div', {'class': 'imp-controls'}, methodControls(win));
        var actions = element('div', {'class': 'imp-actions', style: 'margin-top:12px'}, [
            element('button', {type: 'button', 'data-imp-action': 'approve'}, ['승인 Approve']),
            ' ',
            element('button', {type: 'button', 'data-imp-action': 'decline'}, ['거절 Decline']),
            ' ',
            element('button', {type: 'button', 'data-imp-action': 'close'}, ['닫기 Close']),
        ]);
        panel.append(controls, actions);
        var overlay = element('div', {
            id: WINDOW_ID,
            role: 'dialog',
            'data-pay-method': win.pay_method,
            'data-imp-uid': impUid,
            style: 'position:fixed;inset:0;z-index:2147483647;background:rgba(0,0,0,.45);'
                + 'display:flex;align-items:center;justify-content:center',
        }, [panel]);
        document.body.append(overlay);
        return overlay;
    }

    function choices(overlay) {
        var values = {};
        overlay.querySelectorAll('select, input').forEach(function (control) {
            values[control.name] = control.value;
        });
        return values;
    }

    function showAccount(overlay, account) {
        var due = new Date(account.vbank_date * 1000).toLocaleString('ko-KR', {timeZone: 'Asia/Seoul'});
        var done = element('button', {type: 'button', 'data-imp-action': 'done'}, ['확인 Done']);
        var account = element('div', {'class': 'imp-vbank-account'}, [
            element('div', {'class': 'imp-vbank-name'}, ['은행 Bank: ' + account.vbank_name]),
            element('div', {'class': 'imp-vbank-num'}, ['계좌 Account: ' + account.vbank_num]),
            element('div', {'class': 'imp-vbank-holder'}, ['예금주 Holder: ' + (account.vbank_holder || '')]),
            element('div', {'class': 'imp-vbank-date'}, ['입금기한 Due: ' + due]),
        ]);
        overlay.querySelector('.imp-controls').replaceWith(account);
        overlay.querySelector('.imp-actions').replaceChildren(done);
        return new Promise(function (resolve) {
            done.addEventListener('click', resolve);
        });
    }

    function finish(param, mobile, rsp, callback) {
        var overlay = document.getElementById(WINDOW_ID);
        if (overlay) {
            overlay.remove();
        }
        if (mobile) {
            window.location.assign(redirectUrl(param.m_redirect_url, rsp, window.location.href));
        } else if (typeof callback === 'function') {
            callback(rsp);
        }
    }

    function run(opened, param, mobile, callback) {
        var overlay = draw(opened.window, opened.imp_uid);
        overlay.querySelector('.imp-actions').addEventListener('click', function (event) {
            var action = event.target.getAttribute('data-imp-action');
            if (['approve', 'decline', 'close'].indexOf(action) === -1) {
                return;
            }
            overlay.querySelectorAll('button').forEach(function (button) {
                button.disabled = true;
            });
            post('/v1/window/' + encodeURIComponent(opened.imp_uid) + '/' + action, choices(overlay))
                .then(function (answer) {
                    if (!answer.ok) {
                        return failure(param, answer.error_code, answer.error_msg, opened.imp_uid);
                    }
                    if (answer.account) {
                        return showAccount(overlay, answer.account).then(function () {
                            return answer.rsp;
                        });
                    }
                    return answer.rsp;
                })
                .catch(function (error) {
                    return failure(param, 'sandbox_unreachable', String(error), opened.imp_uid);
                })
                .then(function (rsp) {
                    finish(param, mobile, rsp, callback);
                });
        });
    }

    window.IMP = {
        version: 'payment_galaxia-sandbox',
        init: function (code) {
            merchantCode = code;
        },
        request_pay: function (param, callback) {
            param = param || {};
            var mobile = isMobile();
            var refusal = validateRequestPay(param, mobile);
            if (refusal) {
                // PortOne answers asynchronously even when it refuses at once.
                Promise.resolve().then(function () {
                    if (typeof callback === 'function') {
                        callback(failure(param, refusal.code, refusal.message));
                    }
                });
                return;
            }
            post('/v1/window/open', {
                imp_code: merchantCode, param: param, mobile: mobile, user_agent: navigator.userAgent,
            }).then(function (opened) {
                if (!opened.ok) {
                    if (typeof callback === 'function') {
                        callback(failure(param, opened.error_code, opened.error_msg));
                    }
                    return;
                }
                run(opened, param, mobile, callback);
            }).catch(function (error) {
                if (typeof callback === 'function') {
                    callback(failure(param, 'sandbox_unreachable', String(error)));
                }
            });
        },
    };
})();
